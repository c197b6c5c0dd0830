/// A body that stands in for a generated type (see `typeOverrides` in `openapi-generator-config.yaml`): the generated
/// layer checks that it is JSON and no more, and the operation reads the bytes as sent.
///
/// - The legacy connector's bodies (`LegacyLogin`, `LegacyEnvelope`): senders write every value their own way
///   (numbers as strings, `"True"`, bare arrays); the connector answers what it cannot use with a non-zero
///   `error_code`, never with a 4xx.
/// - The sync body (`SyncRequest`): `SyncWireBody` reads its items, so that one wrong item is refused alone, and
///   several times faster than `Decodable` would. It refuses whatever is not JSON, so the generated layer is handed
///   `{}` in its place and does not scan the batch a second time (`AgencyRequestMiddleware.BodyRule.readByOperation`).
package struct RawJSONBody: Codable, Hashable, Sendable {
    package init() {}

    package init(from decoder: any Decoder) throws {}

    package func encode(to encoder: any Encoder) throws {
        _ = encoder.singleValueContainer()
    }
}
