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
