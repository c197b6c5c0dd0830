import Foundation
import PortalWeb
import Testing

@Suite struct TranslationTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/PortalWeb")

    @Test func vietnameseAndEnglishHaveTheSameKeysAndNoEmptyString() throws {
        let localizer = try Localizer.bundled()
        let vietnamese = localizer.strings(.vietnamese)
        let english = localizer.strings(.english)
        #expect(!vietnamese.isEmpty)
        #expect(Set(vietnamese.keys) == Set(english.keys))
        #expect(vietnamese.values.allSatisfy { !$0.trimmingCharacters(in: .whitespaces).isEmpty })
        #expect(english.values.allSatisfy { !$0.trimmingCharacters(in: .whitespaces).isEmpty })
    }

    @Test func everyKeyUsedByATemplateOrTheCodeIsInTheCatalogue() throws {
        let keys = Set(try Localizer.bundled().strings(.vietnamese).keys)
        let files = try FileManager.default.subpathsOfDirectory(atPath: Self.sources.path)
            .filter { $0.hasSuffix(".mustache") || $0.hasSuffix(".swift") }
        #expect(files.count > 10)
        var used = Set<String>()
        let templateKey = try Regex(#"\{\{t\.([a-z0-9_]+)\}\}"#)
        // A key in a dictionary literal (log metadata) is not a translation key, hence the look-ahead.
        let codeKey = try Regex(
            #""((?:error|figure|home|search|lookup|procedure|fee|online_level|level|audience|channel)_[a-z0-9_]+)"(?!\s*:)"#
        )
        for file in files {
            let text = try String(contentsOf: Self.sources.appendingPathComponent(file), encoding: .utf8)
            for match in text.matches(of: file.hasSuffix(".mustache") ? templateKey : codeKey) {
                if let key = match.output[1].substring { used.insert(String(key)) }
            }
        }
        #expect(used.count > 30)
        #expect(used.subtracting(keys).isEmpty, "missing translations: \(used.subtracting(keys).sorted())")
    }
}
