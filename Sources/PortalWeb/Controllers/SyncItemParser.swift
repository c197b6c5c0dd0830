import Foundation
import PortalAPI
import PortalCore
import PortalStore

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
            func string(_ name: String, _ value: SyncWireValue, max: Int, required: Bool = true) throws -> String? {
                let text: String
                switch value {
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
            func integer(_ name: String, _ value: SyncWireValue, _ range: ClosedRange<Int>) throws -> Int {
                guard case .integer(let number) = value, range.contains(number) else {
                    throw Problem(
                        field: name,
                        message: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
                }
                return number
            }
            func date(_ name: String, _ value: SyncWireValue, required: Bool) throws -> Date? {
                guard let text = try string(name, value, max: 40, required: required) else { return nil }
                guard let date = VietnamTime.parseISO8601(text) else {
                    throw Problem(
                        field: name, message: "must be an ISO 8601 date and time, e.g. 2025-07-01T08:30:00+07:00")
                }
                return date
            }
            let code = try string("dossier_code", item.dossierCode, max: 60) ?? ""
            guard (try? DossierCode(validating: code)) != nil else {
                throw Problem(
                    field: "dossier_code", message: "must be <agency>-YYMMDD-NNNN, e.g. 000.00.61.H29-250701-0001")
            }
            guard let applicant = item.applicant else {
                throw Problem(field: "applicant", message: "must be an object with type, id and name")
            }
            let applicantType = try integer("applicant.type", applicant.type, 1...2)
            let applicantID = try string("applicant.id", applicant.id, max: 20) ?? ""
            let applicantName = try string("applicant.name", applicant.name, max: 200) ?? ""
            let status = try integer("status", item.status, 1...10)
            let note = try string("note", item.note, max: 100_000, required: false).map { String($0.prefix(2000)) }
            return .success(
                SyncItem(
                    dossierCode: code, procedureCode: try string("procedure_code", item.procedureCode, max: 60) ?? "",
                    agency: try string("agency", item.agency, max: 40) ?? "", applicantType: applicantType,
                    applicantID: applicantID, applicantName: applicantName,
                    channel: try integer("channel", item.channel, 1...3),
                    receivedAt: try date("received_at", item.receivedAt, required: false),
                    dueAt: try date("due_at", item.dueAt, required: false),
                    status: DossierStatus(rawValue: status) ?? .submitted,
                    eventID: try string("event_id", item.eventID, max: 100) ?? "",
                    eventAt: try date("event_at", item.eventAt, required: true) ?? Date(),
                    note: note))
        } catch let problem as Problem {
            return .failure(problem)
        } catch {
            return .failure(Problem(field: "items", message: "cannot be read"))
        }
    }
}
