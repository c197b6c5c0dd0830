/// The body of `getDossierStatus`, the schema `DossierStatus` of `openapi.yaml`.
///
/// It stands in for the generated type (see `typeOverrides` in `openapi-generator-config.yaml`) because the contract
/// lists `received_at` and `due_at` as required and nullable: `@Nullable` writes `null` where the generated type
/// would leave the key out, so a client sees every field of the contract.
package struct DossierStatusBody: Codable, Hashable, Sendable {
    package struct Status: Codable, Hashable, Sendable {
        package let code: Int
        package let name: String

        package init(code: Int, name: String) {
            self.code = code
            self.name = name
        }
    }
    package struct Step: Codable, Hashable, Sendable {
        package let status: Int
        package let at: String

        package init(status: Int, at: String) {
            self.status = status
            self.at = at
        }
    }
    package let code: String
    package let procedure: CodeAndName
    package let agency: CodeAndName
    package let status: Status
    @Nullable package var receivedAt: String?
    @Nullable package var dueAt: String?
    package let timeline: [Step]

    package init(
        code: String, procedure: CodeAndName, agency: CodeAndName, status: Status, receivedAt: String?,
        dueAt: String?, timeline: [Step]
    ) {
        self.code = code
        self.procedure = procedure
        self.agency = agency
        self.status = status
        self.receivedAt = receivedAt
        self.dueAt = dueAt
        self.timeline = timeline
    }

    enum CodingKeys: String, CodingKey {
        case code, procedure, agency, status, timeline
        case receivedAt = "received_at"
        case dueAt = "due_at"
    }
}
