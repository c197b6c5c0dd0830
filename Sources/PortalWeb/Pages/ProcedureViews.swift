import PortalCore

/// A procedure as a line in a list.
struct ProcedureListItem: Sendable {
    let code: String
    let name: String
    /// The language of `name`: Vietnamese on an English page when no translation exists, for screen readers.
    let nameLang: String
    let url: String
    let field: String
    let onlineTag: String
    let onlineFull: Bool
    let processingTime: String
    let fee: String
    /// The name cut into matching and other runs, for highlighting search words.
    let nameSegments: [Highlighter.Segment]

    init(_ procedure: Procedure, language: Language, localizer: Localizer, highlight words: [String] = []) {
        code = procedure.code
        name = procedure.localizedName(language)
        nameLang = procedure.nameLanguage(language).rawValue
        nameSegments = Highlighter.segments(of: procedure.localizedName(language), words: words)
        url = "/thu-tuc/\(procedure.code)"
        field = procedure.field
        onlineTag = localizer.text("online_level_\(procedure.onlineLevel.rawValue)", language)
        onlineFull = procedure.onlineLevel == .full
        processingTime = procedure.processingTime.text
        fee =
            procedure.fee.amount.map { $0 == 0 ? localizer.text("fee_free", language) : VietnameseText.formatDong($0) }
            ?? procedure.fee.text
    }
}

extension Procedure {
    /// The name in the reader's language, falling back to the official Vietnamese name.
    func localizedName(_ language: Language) -> String {
        language == .english ? (nameEnglish ?? name) : name
    }

    /// The language `localizedName` is actually in.
    func nameLanguage(_ language: Language) -> Language {
        language == .english && nameEnglish != nil ? .english : .vietnamese
    }
}
