import Foundation

extension CSVRecord {
    /// A field without surrounding white space; empty when the column is absent.
    func trimmed(_ column: String) -> String {
        (self[column] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A problem with this record, reported as `fileName:line: reason`.
    func problem(_ reason: String, in fileName: String) -> CSVError {
        CSVError(fileName: fileName, line: line, reason: reason)
    }
}
