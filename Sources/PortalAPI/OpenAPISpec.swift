import Foundation

/// The portal's OpenAPI document, the source of truth for every JSON endpoint.
public enum OpenAPISpec {
    /// The text of `openapi.yaml` as shipped in this module.
    public static func yaml() throws -> String {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}
