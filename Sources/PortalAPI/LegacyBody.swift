/// A body of the legacy national-portal connector (schemas `LegacyLogin` and `LegacyEnvelope`): it stands in for the
/// generated types (see `typeOverrides` in `openapi-generator-config.yaml`) and accepts any JSON, because senders
/// write every value their own way (numbers as strings, `"True"`, bare arrays); the connector reads the bytes as sent
/// and answers what it cannot use with a non-zero `error_code`, never with a 4xx.
package struct LegacyBody: Codable, Hashable, Sendable {
    package init() {}

    package init(from decoder: any Decoder) throws {}

    package func encode(to encoder: any Encoder) throws {
        _ = encoder.singleValueContainer()
    }
}
