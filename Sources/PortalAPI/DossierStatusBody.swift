/// The body of `getDossierStatus`, the schema `DossierStatus` of `openapi.yaml`.
///
/// It stands in for the generated type (see `typeOverrides` in `openapi-generator-config.yaml`) for one reason:
/// the contract lists `received_at` and `due_at` as required and nullable, and the generated encoder leaves a nil
/// out, where this one writes `null`, so a client sees every field of the contract. `APIContractTests` checks it
/// field by field against the document.
package struct DossierStatusBody: Codable, Hashable, Sendable {
    package struct Named: Codable, Hashable, Sendable {
        package let code: String
        package let name: String

        package init(code: String, name: String) {
            self.code = code
            self.name = name
        }
    }
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
    package let procedure: Named
    package let agency: Named
    package let status: Status
    package let receivedAt: String?
    package let dueAt: String?
    package let timeline: [Step]

    package init(
        code: String, procedure: Named, agency: Named, status: Status, receivedAt: String?, dueAt: String?,
        timeline: [Step]
    ) {
        self.code = code
        self.procedure = procedure
        self.agency = agency
        self.status = status
        self.receivedAt = receivedAt
        self.dueAt = dueAt
        self.timeline = timeline
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(procedure, forKey: .procedure)
        try container.encode(agency, forKey: .agency)
        try container.encode(status, forKey: .status)
        // Absent dates are explicit nulls.
        try container.encode(receivedAt, forKey: .receivedAt)
        try container.encode(dueAt, forKey: .dueAt)
        try container.encode(timeline, forKey: .timeline)
    }

    enum CodingKeys: String, CodingKey {
        case code, procedure, agency, status, timeline
        case receivedAt = "received_at"
        case dueAt = "due_at"
    }
}
