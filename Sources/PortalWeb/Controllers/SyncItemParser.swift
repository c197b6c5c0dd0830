import Foundation
import PortalCore
import PortalStore

/// The sync body as it arrives: `{"items":[…]}`, each item read leniently (`SyncWireItem`), so that a wrong item is
/// refused alone, naming its field, while the rest of the batch applies.
struct SyncWireBody: Decodable {
    let items: [SyncWireItem]
}

/// One value of an item as sent: missing, `null`, text, a whole number, or something else (a wrong type).
enum SyncWireValue: Sendable {
    case absent
    case null
    case text(String)
    case integer(Int)
    case other
}

/// One item of the sync body, its known fields read without judging them; `SyncItemParser` judges.
struct SyncWireItem: Decodable {
    struct Applicant {
        let type: SyncWireValue
        let id: SyncWireValue
        let name: SyncWireValue
    }

    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Whether the item is a JSON object at all.
    let isObject: Bool
    let values: [String: SyncWireValue]
    /// `nil` when absent or not an object.
    let applicant: Applicant?

    static let textFields = [
        "dossier_code", "procedure_code", "agency", "received_at", "due_at", "event_id", "event_at", "note",
    ]
    static let integerFields = ["channel", "status"]

    init(from decoder: any Decoder) throws {
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

    /// The dossier code as sent, for the refusal's result.
    var dossierCode: String {
        if case .text(let code) = values["dossier_code"] ?? .absent { return code }
        return ""
    }
}

/// Reads one item of the JSON sync body, naming the first field that is wrong.
enum SyncItemParser {
    struct Problem: Error {
        let field: String
        let message: String
    }

    static func parse(_ item: SyncWireItem) -> Result<SyncItem, Problem> {
        guard item.isObject else {
            return .failure(Problem(field: "items", message: "each item must be a JSON object"))
        }
        do {
            func string(_ name: String, max: Int, required: Bool = true, value: SyncWireValue? = nil) throws
                -> String?
            {
                let text: String
                switch value ?? item.values[name] ?? .absent {
                case .absent, .null:
                    if required { throw Problem(field: name, message: "is required") }
                    return nil
                case .integer, .other:
                    throw Problem(field: name, message: "must be a string")
                case .text(let value):
                    text = value
                }
                let trimmed = text.withoutSurroundingSpace
                if trimmed.isEmpty && required { throw Problem(field: name, message: "must not be empty") }
                // No more characters than UTF-8 bytes: counting them is needed only for long text.
                guard trimmed.utf8.count <= max || trimmed.count <= max else {
                    throw Problem(field: name, message: "must be at most \(max) characters")
                }
                return trimmed.isEmpty ? nil : trimmed
            }
            func integer(_ name: String, _ range: ClosedRange<Int>, value: SyncWireValue? = nil, field: String? = nil)
                throws -> Int
            {
                guard case .integer(let number) = value ?? item.values[name] ?? .absent, range.contains(number) else {
                    throw Problem(
                        field: field ?? name,
                        message: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
                }
                return number
            }
            func date(_ name: String, required: Bool) throws -> Date? {
                guard let text = try string(name, max: 40, required: required) else { return nil }
                guard let date = VietnamTime.parseISO8601(text) else {
                    throw Problem(
                        field: name, message: "must be an ISO 8601 date and time, e.g. 2025-07-01T08:30:00+07:00")
                }
                return date
            }
            let code = try string("dossier_code", max: 60) ?? ""
            guard (try? DossierCode(validating: code)) != nil else {
                throw Problem(
                    field: "dossier_code", message: "must be <agency>-YYMMDD-NNNN, e.g. 000.00.61.H29-250701-0001")
            }
            guard let applicant = item.applicant else {
                throw Problem(field: "applicant", message: "must be an object with type, id and name")
            }
            let applicantType = try integer("type", 1...2, value: applicant.type, field: "applicant.type")
            let applicantID: String
            let applicantName: String
            do {
                applicantID = try string("id", max: 20, value: applicant.id) ?? ""
                applicantName = try string("name", max: 200, value: applicant.name) ?? ""
            } catch let problem as Problem {
                throw Problem(field: "applicant." + problem.field, message: problem.message)
            }
            let status = try integer("status", 1...10)
            let note = try string("note", max: 100_000, required: false).map { String($0.prefix(2000)) }
            return .success(
                SyncItem(
                    dossierCode: code, procedureCode: try string("procedure_code", max: 60) ?? "",
                    agency: try string("agency", max: 40) ?? "", applicantType: applicantType,
                    applicantID: applicantID, applicantName: applicantName, channel: try integer("channel", 1...3),
                    receivedAt: try date("received_at", required: false), dueAt: try date("due_at", required: false),
                    status: DossierStatus(rawValue: status) ?? .submitted,
                    eventID: try string("event_id", max: 100) ?? "",
                    eventAt: try date("event_at", required: true) ?? Date(),
                    note: note))
        } catch let problem as Problem {
            return .failure(problem)
        } catch {
            return .failure(Problem(field: "items", message: "cannot be read"))
        }
    }
}
