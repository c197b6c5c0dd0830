/// One procedure with everything a citizen needs before applying.
struct ProcedurePage: Sendable {
    struct Document: Sendable {
        let name: String
        let quantity: String?
        let template: String?
    }
    struct DocumentGroup: Sendable {
        let heading: String?
        let documents: [Document]
    }
    struct Row: Sendable {
        let label: String
        let value: String
    }
    /// A handling agency with its page.
    struct AgencyLink: Sendable {
        let name: String
        let url: String
    }
    let code: String
    let name: String
    let nameLang: String
    let officialName: String?
    let onlineTag: String
    let onlineFull: Bool
    let summary: [Row]
    let documentGroups: [DocumentGroup]
    let steps: [String]
    let conditions: String?
    let legalBasis: [String]
    let agencies: [AgencyLink]
    let hasAgencies: Bool
    let hasSteps: Bool
    let hasLegalBasis: Bool
    /// Where to start an online dossier, when the procedure can be done online at some agency.
    let submitURL: String?
    /// The hotlines of the agencies that handle it.
    var hotlines: [HotlineController.Item] = []
    var hasHotlines = false
    /// Said when the fee is paid online with the application.
    var feeAtSubmission: String?
}
