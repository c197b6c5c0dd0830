/// The sync body (schema `SyncRequest`) read leniently; it stands in for the generated type (see
/// `typeOverrides` in `openapi-generator-config.yaml`), so that a wrong item is refused alone, naming its field, by
/// `SyncItemParser`, where the generated type would refuse the whole batch.
package struct SyncWireBody: Codable, Hashable, Sendable {
    package let items: [SyncWireItem]
}

/// One value of an item as sent: missing, `null`, text, a whole number, or something else (a wrong type).
package enum SyncWireValue: Hashable, Sendable {
    case absent
    case null
    case text(String)
    case integer(Int)
    case other
}

/// One item of the sync body, its known fields read without judging them; `SyncItemParser` judges.
package struct SyncWireItem: Codable, Hashable, Sendable {
    package struct Applicant: Hashable, Sendable {
        package let type: SyncWireValue
        package let id: SyncWireValue
        package let name: SyncWireValue
    }

    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Whether the item is a JSON object at all.
    package let isObject: Bool
    package let values: [String: SyncWireValue]
    /// `nil` when absent or not an object.
    package let applicant: Applicant?

    static let textFields = [
        "dossier_code", "procedure_code", "agency", "received_at", "due_at", "event_id", "event_at", "note",
    ]
    static let integerFields = ["channel", "status"]

    package init(from decoder: any Decoder) throws {
        guard let container = try? decoder.container(keyedBy: Key.self) else {
            isObject = false
            values = [:]
            applicant = nil
            return
        }
        isObject = true
        var values: [String: SyncWireValue] = [:]
        for name in Self.textFields { values[name] = Self.value(container, name, integer: false) }
        for name in Self.integerFields { values[name] = Self.value(container, name, integer: true) }
        self.values = values
        if let nested = try? container.nestedContainer(keyedBy: Key.self, forKey: Key(stringValue: "applicant")) {
            applicant = Applicant(
                type: Self.value(nested, "type", integer: true), id: Self.value(nested, "id", integer: false),
                name: Self.value(nested, "name", integer: false))
        } else {
            applicant = nil
        }
    }

    static func value(_ container: KeyedDecodingContainer<Key>, _ name: String, integer: Bool) -> SyncWireValue {
        let key = Key(stringValue: name)
        guard container.contains(key) else { return .absent }
        if (try? container.decodeNil(forKey: key)) == true { return .null }
        if integer {
            if let number = try? container.decode(Int.self, forKey: key) { return .integer(number) }
        } else if let text = try? container.decode(String.self, forKey: key) {
            return .text(text)
        }
        return .other
    }

    /// Writes the fields read (the server never sends a body of this kind; the conformance is the generated
    /// code's).
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        func write(_ value: SyncWireValue, _ name: String, in container: inout KeyedEncodingContainer<Key>) throws {
            switch value {
            case .absent, .other: break
            case .null: try container.encodeNil(forKey: Key(stringValue: name))
            case .text(let text): try container.encode(text, forKey: Key(stringValue: name))
            case .integer(let number): try container.encode(number, forKey: Key(stringValue: name))
            }
        }
        for (name, value) in values.sorted(by: { $0.key < $1.key }) { try write(value, name, in: &container) }
        if let applicant {
            var nested = container.nestedContainer(keyedBy: Key.self, forKey: Key(stringValue: "applicant"))
            try write(applicant.type, "type", in: &nested)
            try write(applicant.id, "id", in: &nested)
            try write(applicant.name, "name", in: &nested)
        }
    }

    /// The dossier code as sent, for the refusal's result.
    package var dossierCode: String {
        if case .text(let code) = values["dossier_code"] ?? .absent { return code }
        return ""
    }
}
