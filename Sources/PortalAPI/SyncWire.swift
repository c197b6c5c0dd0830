/// The sync body (schema `SyncRequest`) as sent, read straight from its bytes: the generated layer does not read it
/// (see `RawJSONBody`), and this reader refuses what is not JSON and takes the items out without judging them, so
/// that a wrong item is refused alone, naming its field, by `SyncItemParser`, where the generated type would refuse
/// the whole batch.
///
/// A batch holds up to a thousand items of a dozen fields each. Read through `Decodable`, each item cost a keyed
/// container, a dictionary of its keys and a string per key looked up: about 11 ms a batch of 500, the largest part
/// of ingesting it. This reader takes well under a millisecond and gives the same values (`SyncWireTests` compares
/// the two on every kind of item).
package struct SyncWireBody: Hashable, Sendable {
    package let items: [SyncWireItem]

    /// Why a body cannot be read: not JSON, or not an object with an `items` array.
    package struct Unreadable: Error, Hashable, Sendable {}

    package init(items: [SyncWireItem]) {
        self.items = items
    }

    /// Reads a body. Keys are matched after unescaping; of a key sent twice the first counts; unknown keys and
    /// their values are skipped.
    package init(json bytes: [UInt8]) throws(Unreadable) {
        let items: [SyncWireItem]? = bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(buffer)
            return try? reader.body()
        }
        guard let items else { throw Unreadable() }
        self.items = items
    }
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
package struct SyncWireItem: Hashable, Sendable {
    package struct Applicant: Hashable, Sendable {
        package var type: SyncWireValue = .absent
        package var id: SyncWireValue = .absent
        package var name: SyncWireValue = .absent

        package init(type: SyncWireValue = .absent, id: SyncWireValue = .absent, name: SyncWireValue = .absent) {
            self.type = type
            self.id = id
            self.name = name
        }
    }

    /// Whether the item is a JSON object at all.
    package var isObject = true
    package var dossierCode: SyncWireValue = .absent
    package var procedureCode: SyncWireValue = .absent
    package var agency: SyncWireValue = .absent
    package var receivedAt: SyncWireValue = .absent
    package var dueAt: SyncWireValue = .absent
    package var eventID: SyncWireValue = .absent
    package var eventAt: SyncWireValue = .absent
    package var note: SyncWireValue = .absent
    package var channel: SyncWireValue = .absent
    package var status: SyncWireValue = .absent
    /// `nil` when absent or not an object.
    package var applicant: Applicant?

    package init() {}

    /// An item that is not a JSON object.
    package static let notAnObject: SyncWireItem = {
        var item = SyncWireItem()
        item.isObject = false
        return item
    }()

    /// The dossier code as sent, for the refusal's result.
    package var dossierCodeSent: String {
        if case .text(let code) = dossierCode { return code }
        return ""
    }
}

/// A reader of one JSON document in memory, for the sync body's shape. It skips what it does not need, and stops at
/// the first byte that is not JSON.
private struct JSONReader {
    struct Malformed: Error {}

    /// Deeper nesting than Foundation's decoder accepts is refused, so that skipping a value cannot exhaust the
    /// stack.
    static let maximumDepth = 512

    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var depth = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    // MARK: The sync body

    /// `{"items": [ … ]}` and nothing after it.
    mutating func body() throws(Malformed) -> [SyncWireItem] {
        var items: [SyncWireItem]?
        try object { (reader: inout JSONReader, key: Key) throws(Malformed) in
            if key == .items && items == nil {
                guard reader.peek() == UInt8(ascii: "[") else { throw Malformed() }
                items = try reader.itemList()
            } else {
                try reader.skipValue()
            }
        }
        skipSpace()
        guard position == bytes.count, let items else { throw Malformed() }
        return items
    }

    mutating func itemList() throws(Malformed) -> [SyncWireItem] {
        var items: [SyncWireItem] = []
        items.reserveCapacity(min(1024, bytes.count / 64))
        try array { (reader: inout JSONReader) throws(Malformed) in
            items.append(try reader.item())
        }
        return items
    }

    mutating func item() throws(Malformed) -> SyncWireItem {
        guard peek() == UInt8(ascii: "{") else {
            try skipValue()
            return .notAnObject
        }
        var item = SyncWireItem()
        var seen: UInt32 = 0
        try object { (reader: inout JSONReader, key: Key) throws(Malformed) in
            // The first of a key sent twice counts, as with Foundation's decoder.
            guard key != .unknown, seen & key.bit == 0 else { return try reader.skipValue() }
            seen |= key.bit
            switch key {
            case .dossierCode: item.dossierCode = try reader.value(integer: false)
            case .procedureCode: item.procedureCode = try reader.value(integer: false)
            case .agency: item.agency = try reader.value(integer: false)
            case .receivedAt: item.receivedAt = try reader.value(integer: false)
            case .dueAt: item.dueAt = try reader.value(integer: false)
            case .eventID: item.eventID = try reader.value(integer: false)
            case .eventAt: item.eventAt = try reader.value(integer: false)
            case .note: item.note = try reader.value(integer: false)
            case .channel: item.channel = try reader.value(integer: true)
            case .status: item.status = try reader.value(integer: true)
            case .applicant:
                if reader.peek() == UInt8(ascii: "{") {
                    item.applicant = try reader.applicant()
                } else {
                    try reader.skipValue()
                }
            default: try reader.skipValue()
            }
        }
        return item
    }

    mutating func applicant() throws(Malformed) -> SyncWireItem.Applicant {
        var applicant = SyncWireItem.Applicant()
        var seen: UInt32 = 0
        try object { (reader: inout JSONReader, key: Key) throws(Malformed) in
            guard key != .unknown, seen & key.bit == 0 else { return try reader.skipValue() }
            seen |= key.bit
            switch key {
            case .type: applicant.type = try reader.value(integer: true)
            case .id: applicant.id = try reader.value(integer: false)
            case .name: applicant.name = try reader.value(integer: false)
            default: try reader.skipValue()
            }
        }
        return applicant
    }

    /// A field's value: a string where text is expected, a whole number where a number is; anything else is
    /// `.other`, as `Decodable` would refuse it.
    mutating func value(integer: Bool) throws(Malformed) -> SyncWireValue {
        skipSpace()
        switch peek() ?? 0 {
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "\""):
            guard let text = try string() else { return .other }
            return integer ? .other : .text(text)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let number = try numberText()
            guard integer, let whole = Self.wholeNumber(number) else { return .other }
            return .integer(whole)
        default:
            try skipValue()
            return .other
        }
    }

    /// A number as Foundation's decoder reads it into `Int`: digits alone must fit; a fraction or an exponent is
    /// taken through `Double` and must come out whole and within range.
    static func wholeNumber(_ text: String) -> Int? {
        if !text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") })
        {
            return Int(text)
        }
        guard let double = Double(text), double.isFinite, double.rounded(.towardZero) == double,
            double >= -9.223_372_036_854_775_808e18, double < 9.223_372_036_854_775_808e18
        else { return nil }
        return Int(double)
    }

    // MARK: Keys

    enum Key: Int {
        case items, dossierCode, procedureCode, agency, receivedAt, dueAt, eventID, eventAt, note, channel, status
        case applicant, type, id, name
        case unknown

        var bit: UInt32 { 1 << UInt32(rawValue) }

        /// The known key spelled by `bytes` (unescaped).
        static func named(_ bytes: UnsafeBufferPointer<UInt8>) -> Key {
            // Every known key is short, plain ASCII, and differs from the others in length or first byte but for a
            // few; compare only those of the same length.
            switch bytes.count {
            case 2: return equal(bytes, "id") ? .id : .unknown
            case 4:
                if equal(bytes, "note") { return .note }
                if equal(bytes, "type") { return .type }
                return equal(bytes, "name") ? .name : .unknown
            case 5: return equal(bytes, "items") ? .items : .unknown
            case 6:
                if equal(bytes, "agency") { return .agency }
                if equal(bytes, "due_at") { return .dueAt }
                return equal(bytes, "status") ? .status : .unknown
            case 7: return equal(bytes, "channel") ? .channel : .unknown
            case 8:
                if equal(bytes, "event_id") { return .eventID }
                return equal(bytes, "event_at") ? .eventAt : .unknown
            case 9: return equal(bytes, "applicant") ? .applicant : .unknown
            case 11: return equal(bytes, "received_at") ? .receivedAt : .unknown
            case 12: return equal(bytes, "dossier_code") ? .dossierCode : .unknown
            case 14: return equal(bytes, "procedure_code") ? .procedureCode : .unknown
            default: return .unknown
            }
        }

        static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
            name.withUTF8Buffer { name in
                name.count == bytes.count && zip(name, bytes).allSatisfy { $0 == $1 }
            }
        }
    }

    // MARK: JSON

    func peek() -> UInt8? {
        position < bytes.count ? bytes[position] : nil
    }

    mutating func skipSpace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    mutating func expect(_ byte: UInt8) throws(Malformed) {
        skipSpace()
        guard peek() == byte else { throw Malformed() }
        position += 1
    }

    mutating func literal(_ word: StaticString) throws(Malformed) {
        let matches = word.withUTF8Buffer { word in
            position + word.count <= bytes.count
                && word.indices.allSatisfy { bytes[position + $0] == word[$0] }
        }
        guard matches else { throw Malformed() }
        position += word.utf8CodeUnitCount
    }

    /// An object, calling `member` with the reader at each member's value.
    mutating func object(_ member: (inout JSONReader, Key) throws(Malformed) -> Void) throws(Malformed) {
        try sequence(UInt8(ascii: "{"), UInt8(ascii: "}")) { (reader: inout JSONReader) throws(Malformed) in
            let key = try reader.key()
            try reader.expect(UInt8(ascii: ":"))
            reader.skipSpace()
            try member(&reader, key)
        }
    }

    /// An array, calling `element` with the reader at each element.
    mutating func array(_ element: (inout JSONReader) throws(Malformed) -> Void) throws(Malformed) {
        try sequence(UInt8(ascii: "["), UInt8(ascii: "]"), element)
    }

    /// What objects and arrays share: `open`, entries separated by commas, `close`, no deeper than
    /// `maximumDepth`; `entry` reads each from its first byte.
    mutating func sequence(
        _ open: UInt8, _ close: UInt8, _ entry: (inout JSONReader) throws(Malformed) -> Void
    ) throws(Malformed) {
        try expect(open)
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw Malformed() }
        skipSpace()
        if peek() == close {
            position += 1
            return
        }
        while true {
            skipSpace()
            try entry(&self)
            skipSpace()
            guard let next = peek() else { throw Malformed() }
            position += 1
            if next == close { return }
            guard next == UInt8(ascii: ",") else { throw Malformed() }
        }
    }

    /// A member's name, matched against the known keys without making a string unless it holds escapes.
    mutating func key() throws(Malformed) -> Key {
        guard peek() == UInt8(ascii: "\"") else { throw Malformed() }
        let start = position + 1
        let (end, escaped) = try stringEnd()
        if !escaped {
            return Key.named(UnsafeBufferPointer(rebasing: bytes[start..<end]))
        }
        position = start - 1
        guard let name = try string() else { return .unknown }
        var utf8 = Array(name.utf8)
        return utf8.withUnsafeMutableBufferPointer { Key.named(UnsafeBufferPointer($0)) }
    }

    /// Finds the closing quote of the string at `position` (its opening quote), checking its escapes; moves past
    /// it. Returns the index of the closing quote and whether the string holds escapes.
    mutating func stringEnd() throws(Malformed) -> (end: Int, escaped: Bool) {
        var index = position + 1
        var escaped = false
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                position = index + 1
                return (index, escaped)
            case UInt8(ascii: "\\"):
                escaped = true
                guard index + 1 < bytes.count else { throw Malformed() }
                switch bytes[index + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    guard index + 6 <= bytes.count,
                        bytes[index + 2..<index + 6].allSatisfy({ Self.isHexDigit($0) })
                    else { throw Malformed() }
                    index += 6
                default:
                    throw Malformed()
                }
            case 0..<0x20:
                throw Malformed()
            default:
                index += 1
            }
        }
        throw Malformed()
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
            UInt8(ascii: "A")...UInt8(ascii: "F"):
            true
        default: false
        }
    }

    /// The string at `position`, unescaped; `nil` when it holds an escape that is not a character (a lone
    /// surrogate), which Foundation's decoder refuses as a string.
    mutating func string() throws(Malformed) -> String? {
        let start = position + 1
        let (end, escaped) = try stringEnd()
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<end])
        guard escaped else {
            guard let text = String(validating: raw, as: UTF8.self) else { throw Malformed() }
            return text
        }
        var scalars = String.UnicodeScalarView()
        var utf8: [UInt8] = []
        var index = 0
        func flush() throws(Malformed) {
            guard !utf8.isEmpty else { return }
            guard let text = String(validating: utf8, as: UTF8.self) else { throw Malformed() }
            scalars.append(contentsOf: text.unicodeScalars)
            utf8.removeAll(keepingCapacity: true)
        }
        func hex(_ at: Int) throws(Malformed) -> UInt32 {
            guard at + 4 <= raw.count else { throw Malformed() }
            var value: UInt32 = 0
            for byte in raw[at..<at + 4] {
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw Malformed()
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        var character = true
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\") else {
                utf8.append(byte)
                index += 1
                continue
            }
            guard index + 1 < raw.count else { throw Malformed() }
            let escape = raw[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex(index)
                index += 4
                if (0xD800..<0xDC00).contains(code) {
                    // A high surrogate counts only with the low one after it.
                    let low: UInt32? =
                        index + 6 <= raw.count && raw[index] == UInt8(ascii: "\\")
                            && raw[index + 1] == UInt8(ascii: "u")
                        ? try hex(index + 2) : nil
                    guard let low, (0xDC00..<0xE000).contains(low) else {
                        character = false
                        continue
                    }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                guard let scalar = Unicode.Scalar(code) else {
                    character = false
                    continue
                }
                try flush()
                scalars.append(scalar)
            default:
                throw Malformed()
            }
        }
        try flush()
        return character ? String(scalars) : nil
    }

    /// The text of the number at `position`; moves past it.
    mutating func numberText() throws(Malformed) -> String {
        let start = position
        func digits() -> Int {
            let first = position
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
                position += 1
            }
            return position - first
        }
        if peek() == UInt8(ascii: "-") { position += 1 }
        let whole = position
        guard digits() > 0 else { throw Malformed() }
        // No leading zeros: "0" alone, or a number not starting with "0".
        guard bytes[whole] != UInt8(ascii: "0") || position - whole == 1 else { throw Malformed() }
        if peek() == UInt8(ascii: ".") {
            position += 1
            guard digits() > 0 else { throw Malformed() }
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            guard digits() > 0 else { throw Malformed() }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    /// Skips one value of any kind, checking it is JSON.
    mutating func skipValue() throws(Malformed) {
        skipSpace()
        switch peek() ?? 0 {
        case UInt8(ascii: "{"):
            try object { (reader: inout JSONReader, _: Key) throws(Malformed) in try reader.skipValue() }
        case UInt8(ascii: "["): try array { (reader: inout JSONReader) throws(Malformed) in try reader.skipValue() }
        case UInt8(ascii: "\""): _ = try stringEnd()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try numberText()
        default: throw Malformed()
        }
    }
}
