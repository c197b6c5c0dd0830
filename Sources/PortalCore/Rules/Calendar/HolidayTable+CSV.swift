import Foundation

extension HolidayTable {
    /// The CSV columns an administrator's file must have (others, such as `year` or `source`, are ignored).
    public static let requiredCSVColumns = ["date", "kind", "name_vi", "name_en"]

    /// Parses a CSV table with the header `date,kind,name_vi,name_en[,status][,…]` (RFC 4180 quoting).
    ///
    /// Rows without a `status` column are `announced`. Extra columns are ignored, so the sourced
    /// `holidays.csv` of the data folder loads as is.
    public init(csv: String) throws(HolidayTableError) {
        let rows = try HolidayTable.parseCSV(csv)
        guard let header = rows.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces) }) else {
            throw .missingColumn("date")
        }
        var index: [String: Int] = [:]
        for (position, name) in header.enumerated() where index[name] == nil { index[name] = position }
        for column in HolidayTable.requiredCSVColumns where index[column] == nil { throw .missingColumn(column) }
        // SAFETY: every required column was checked just above.
        let dateColumn = index["date"]!
        let kindColumn = index["kind"]!
        let nameViColumn = index["name_vi"]!
        let nameEnColumn = index["name_en"]!
        let statusColumn = index["status"]
        var entries: [HolidayEntry] = []
        for row in rows.dropFirst() {
            if row.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard row.fields.count == header.count else { throw .malformedLine(line: row.line) }
            let dateText = row.fields[dateColumn].trimmingCharacters(in: .whitespaces)
            guard let date = LocalDate(dateText) else { throw .invalidDate(line: row.line, value: dateText) }
            let kindText = row.fields[kindColumn].trimmingCharacters(in: .whitespaces)
            guard let kind = HolidayKind(rawValue: kindText) else {
                throw .invalidKind(line: row.line, value: kindText)
            }
            var status = HolidayStatus.announced
            if let statusColumn {
                let statusText = row.fields[statusColumn].trimmingCharacters(in: .whitespaces)
                guard let parsed = HolidayStatus(rawValue: statusText) else {
                    throw .invalidStatus(line: row.line, value: statusText)
                }
                status = parsed
            }
            entries.append(
                HolidayEntry(
                    date: date, kind: kind, nameVi: row.fields[nameViColumn], nameEn: row.fields[nameEnColumn],
                    status: status))
        }
        try self.init(entries: entries)
    }

    /// The table as CSV with the header `date,kind,name_vi,name_en,status`, in date order.
    public var csv: String {
        var lines = ["date,kind,name_vi,name_en,status"]
        for entry in entries {
            let fields = [
                entry.date.description, entry.kind.rawValue, entry.nameVi, entry.nameEn, entry.status.rawValue,
            ]
            lines.append(fields.map(HolidayTable.quoted).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private struct CSVRow {
        var line: Int
        var fields: [String]
    }

    private static func parseCSV(_ text: String) throws(HolidayTableError) -> [CSVRow] {
        var rows: [CSVRow] = []
        var fields: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var rowStartLine = 1
        var iterator = text.makeIterator()
        var pending: Character? = nil
        func next() -> Character? {
            if let character = pending {
                pending = nil
                return character
            }
            return iterator.next()
        }
        while let character = next() {
            if inQuotes {
                if character == "\"" {
                    if let following = next() {
                        if following == "\"" {
                            field.append("\"")
                        } else {
                            inQuotes = false
                            pending = following
                        }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"":
                guard field.isEmpty else { throw .malformedLine(line: line) }
                inQuotes = true
            case ",":
                fields.append(field)
                field = ""
            case "\n", "\r\n", "\r":
                fields.append(field)
                rows.append(CSVRow(line: rowStartLine, fields: fields))
                fields = []
                field = ""
                line += 1
                rowStartLine = line
            default:
                field.append(character)
            }
        }
        guard !inQuotes else { throw .malformedLine(line: rowStartLine) }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            rows.append(CSVRow(line: rowStartLine, fields: fields))
        }
        return rows
    }
}
