import Foundation

/// The translation catalogue: every user-visible string by key, in Vietnamese and English.
public struct Localizer: Sendable {
    public let catalogues: [Language: [String: String]]

    /// Loads `Locales/vi.json` and `Locales/en.json` from the module's resources.
    public static func bundled() throws -> Localizer {
        var catalogues: [Language: [String: String]] = [:]
        for language in Language.allCases {
            guard
                let url = Bundle.module.url(
                    forResource: language.rawValue, withExtension: "json", subdirectory: "Locales")
            else { throw LocalizerError.missingCatalogue(language.rawValue) }
            catalogues[language] = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: url))
        }
        return Localizer(catalogues: catalogues)
    }

    /// The strings of one language.
    public func strings(_ language: Language) -> [String: String] {
        catalogues[language] ?? [:]
    }

    /// One string; a missing key shows as the key itself so that it is noticed (a test forbids it).
    public func text(_ key: String, _ language: Language) -> String {
        catalogues[language]?[key] ?? key
    }

    /// One string with `{name}` placeholders filled in.
    public func text(_ key: String, _ language: Language, _ values: [String: String]) -> String {
        values.reduce(text(key, language)) { result, pair in
            result.replacingOccurrences(of: "{\(pair.key)}", with: pair.value)
        }
    }
}

/// Why the translation catalogue could not be loaded.
public enum LocalizerError: Error, Sendable {
    case missingCatalogue(String)
}
