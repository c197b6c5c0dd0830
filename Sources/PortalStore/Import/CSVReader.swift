import Foundation

/// One parsed record: its fields by column name and the physical line where it starts.
public struct CSVRecord: Sendable, Equatable {
    /// The 1-based physical line of the file where the record starts.
    public let line: Int
    /// The record's fields, keyed by the header's column names.
    public let fields: [String: String]

    /// Creates a record; the reader makes these, tests and importers may too.
    public init(line: Int, fields: [String: String]) {
        self.line = line
        self.fields = fields
    }

    /// The field in `column`, or `nil` when the header has no such column.
    public subscript(_ column: String) -> String? { fields[column] }
}

/// A problem in a CSV file, located by file name and 1-based physical line: `procedures.csv:17: reason`.
public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file's name as the operator knows it, e.g. `procedures.csv`.
    public let fileName: String
    /// The 1-based physical line of the problem.
    public let line: Int
    /// What is wrong, for the operator.
    public let reason: String

    /// Creates an error at `fileName:line`.
    public init(fileName: String, line: Int, reason: String) {
        self.fileName = fileName
        self.line = line
        self.reason = reason
    }

    /// `file:line: reason`, the form compilers use, so editors can jump to the line.
    public var description: String { "\(fileName):\(line): \(reason)" }
}

/// Reads RFC 4180 CSV (UTF-8, optional BOM, CRLF or LF, quoted fields with `""` escapes and embedded newlines).
///
/// The initializer checks that the whole file is UTF-8 and reads the header; `records()` then parses the rows
/// lazily, yielding a `.failure` for each bad row and carrying on with the next line, so that an importer can
/// report every bad row at once. Blank lines between records are skipped. Line numbers are physical lines, so
/// they stay right after quoted fields that contain newlines.
public struct CSVReader: Sendable {
    /// The header's column names, in file order.
    public let columns: [String]
    private let fileName: String
    private let bytes: [UInt8]
    private let bodyStart: Int
    private let bodyLine: Int

    /// Checks that `data` is UTF-8 and that its header names every column in `requiredColumns`.
    public init(data: Data, fileName: String, requiredColumns: [String]) throws(CSVError) {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let bad = Self.firstInvalidUTF8(in: bytes) {
            let line = 1 + bytes[..<bad].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            let reason = String(
                format: "not valid UTF-8 (byte 0x%02X); save the file as UTF-8, not Windows-1258 or Latin-1",
                bytes[bad])
            throw CSVError(fileName: fileName, line: line, reason: reason)
        }
        var parser = Parser(position: 0, line: 1)
        let header = bytes.withUnsafeBufferPointer { parser.nextRecord(in: $0) }
        guard let header else {
            throw CSVError(fileName: fileName, line: 1, reason: "missing header line")
        }
        let names: [String]
        switch header.fields {
        case .failure(let reason): throw CSVError(fileName: fileName, line: header.line, reason: "header: \(reason)")
        case .success(let fields): names = fields.map { $0.trimmingCharacters(in: .whitespaces) }
        }
        var seen = Set<String>()
        for name in names where !seen.insert(name).inserted {
            throw CSVError(
                fileName: fileName, line: header.line, reason: "column '\(name)' appears twice in the header")
        }
        let missing = requiredColumns.filter { !seen.contains($0) }
        if !missing.isEmpty {
            throw CSVError(
                fileName: fileName, line: header.line,
                reason: "missing required column\(missing.count == 1 ? "" : "s"): \(missing.joined(separator: ", "))")
        }
        self.columns = names
        self.fileName = fileName
        self.bytes = bytes
        self.bodyStart = parser.position
        self.bodyLine = parser.line
    }

    /// The rows after the header, parsed lazily: `.success` for a good row, `.failure` for a bad one.
    ///
    /// After a bad row the reader resumes at the next physical line; an unterminated quoted field ends the sequence.
    public func records() -> AnySequence<Result<CSVRecord, CSVError>> {
        let columns = columns
        let fileName = fileName
        let bytes = bytes
        let start = (position: bodyStart, line: bodyLine)
        return AnySequence { () -> AnyIterator<Result<CSVRecord, CSVError>> in
            // Each iteration gets its own cursor, so the sequence can be read more than once.
            var parser = Parser(position: start.position, line: start.line)
            return AnyIterator {
                guard let raw = bytes.withUnsafeBufferPointer({ parser.nextRecord(in: $0) }) else { return nil }
                switch raw.fields {
                case .failure(let reason):
                    return .failure(CSVError(fileName: fileName, line: raw.line, reason: reason.description))
                case .success(let values) where values.count != columns.count:
                    let reason =
                        "has \(values.count) field\(values.count == 1 ? "" : "s"), the header has \(columns.count)"
                    return .failure(CSVError(fileName: fileName, line: raw.line, reason: reason))
                case .success(let values):
                    var fields: [String: String] = [:]
                    fields.reserveCapacity(columns.count)
                    for (column, value) in zip(columns, values) { fields[column] = value }
                    return .success(CSVRecord(line: raw.line, fields: fields))
                }
            }
        }
    }

    /// The offset of the first byte that does not belong to a well-formed UTF-8 sequence, or `nil`.
    static func firstInvalidUTF8(in bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            var index = 0
            let count = buffer.count
            while index < count {
                let lead = buffer[index]
                if lead < 0x80 {
                    index += 1
                    continue
                }
                // Ranges from the Unicode Standard's table of well-formed UTF-8 byte sequences (table 3-7): they
                // exclude overlong forms, surrogates and code points above U+10FFFF.
                let length: Int
                var secondRange: ClosedRange<UInt8> = 0x80...0xBF
                switch lead {
                case 0xC2...0xDF: length = 2
                case 0xE0: length = 3; secondRange = 0xA0...0xBF
                case 0xE1...0xEC, 0xEE...0xEF: length = 3
                case 0xED: length = 3; secondRange = 0x80...0x9F
                case 0xF0: length = 4; secondRange = 0x90...0xBF
                case 0xF1...0xF3: length = 4
                case 0xF4: length = 4; secondRange = 0x80...0x8F
                default: return index
                }
                guard index + length <= count, secondRange.contains(buffer[index + 1]) else { return index }
                for offset in 2..<length where !(0x80...0xBF).contains(buffer[index + offset]) { return index }
                index += length
            }
            return nil
        }
    }
}

extension CSVReader {
    /// Why a row could not be split into fields.
    enum RowProblem: CustomStringConvertible {
        case unterminatedQuote
        case quoteInUnquotedField(field: Int)
        case textAfterClosingQuote(field: Int)

        var description: String {
            switch self {
            case .unterminatedQuote: "quoted field is never closed (the quote opens on this line)"
            case .quoteInUnquotedField(let field): "field \(field) has a quote but does not start with one"
            case .textAfterClosingQuote(let field): "field \(field) has text after its closing quote"
            }
        }
    }

    /// One record as split by `Parser`: the line where it starts, or where its problem is, and its fields.
    struct RawRecord {
        var line: Int
        var fields: Result<[String], RowProblemError>
    }

    /// `RowProblem` as an `Error`, so that it fits in a `Result`.
    struct RowProblemError: Error, CustomStringConvertible {
        let problem: RowProblem
        var description: String { problem.description }
    }

    /// A cursor over the file's bytes that splits one record at a time and counts physical lines.
    struct Parser {
        var position: Int
        var line: Int

        private static let quote = UInt8(ascii: "\"")
        private static let comma = UInt8(ascii: ",")
        private static let lineFeed = UInt8(ascii: "\n")
        private static let carriageReturn = UInt8(ascii: "\r")

        init(position: Int, line: Int) {
            self.position = position
            self.line = line
        }

        /// The next non-blank record, or `nil` at the end of the file.
        mutating func nextRecord(in bytes: UnsafeBufferPointer<UInt8>) -> RawRecord? {
            skipBlankLines(in: bytes)
            guard position < bytes.count else { return nil }
            let startLine = line
            var fields: [String] = []
            var fieldBytes: [UInt8] = []
            while true {
                if position < bytes.count && bytes[position] == Self.quote {
                    let openLine = line
                    fieldBytes.removeAll(keepingCapacity: true)
                    position += 1
                    var closed = false
                    while position < bytes.count {
                        let byte = bytes[position]
                        if byte == Self.quote {
                            if position + 1 < bytes.count && bytes[position + 1] == Self.quote {
                                fieldBytes.append(Self.quote)
                                position += 2
                                continue
                            }
                            position += 1
                            closed = true
                            break
                        }
                        if byte == Self.lineFeed { line += 1 }
                        fieldBytes.append(byte)
                        position += 1
                    }
                    guard closed else {
                        // The unclosed quote swallowed the rest of the file, so the sequence ends here.
                        return RawRecord(line: openLine, fields: .failure(RowProblemError(problem: .unterminatedQuote)))
                    }
                    fields.append(String(decoding: fieldBytes, as: UTF8.self))
                    if position < bytes.count, bytes[position] != Self.comma, !isLineEnd(bytes, at: position) {
                        let problem = RowProblem.textAfterClosingQuote(field: fields.count)
                        return failure(problem, in: bytes)
                    }
                } else {
                    let start = position
                    while position < bytes.count, bytes[position] != Self.comma, !isLineEnd(bytes, at: position) {
                        if bytes[position] == Self.quote {
                            return failure(.quoteInUnquotedField(field: fields.count + 1), in: bytes)
                        }
                        position += 1
                    }
                    fields.append(
                        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
                }
                if position < bytes.count && bytes[position] == Self.comma {
                    position += 1
                    continue
                }
                skipLineEnd(in: bytes)
                return RawRecord(line: startLine, fields: .success(fields))
            }
        }

        /// Reports `problem` on the line where it is and resumes after that physical line.
        private mutating func failure(_ problem: RowProblem, in bytes: UnsafeBufferPointer<UInt8>) -> RawRecord {
            let problemLine = line
            while position < bytes.count && bytes[position] != Self.lineFeed { position += 1 }
            skipLineEnd(in: bytes)
            return RawRecord(line: problemLine, fields: .failure(RowProblemError(problem: problem)))
        }

        private func isLineEnd(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
            bytes[index] == Self.lineFeed
                || (bytes[index] == Self.carriageReturn && index + 1 < bytes.count && bytes[index + 1] == Self.lineFeed)
        }

        private mutating func skipLineEnd(in bytes: UnsafeBufferPointer<UInt8>) {
            if position < bytes.count && bytes[position] == Self.carriageReturn { position += 1 }
            if position < bytes.count && bytes[position] == Self.lineFeed {
                position += 1
                line += 1
            }
        }

        private mutating func skipBlankLines(in bytes: UnsafeBufferPointer<UInt8>) {
            while position < bytes.count && isLineEnd(bytes, at: position) { skipLineEnd(in: bytes) }
        }
    }
}
