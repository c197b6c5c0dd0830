/// JSON written by hand where `JSONEncoder` is too slow for a hot path.
public enum JSONText {
    /// Appends `value` as a JSON string: quoted, with `"`, `\\` and the control characters escaped. With
    /// `asJSONEncoder`, exactly as `JSONEncoder` writes it by default: `/` escaped as well, and backspace and form
    /// feed as `\\b` and `\\f` (for text that must equal what the encoder makes elsewhere).
    public static func appendString(_ value: String, to text: inout String, asJSONEncoder: Bool = false) {
        text += "\""
        // The text between characters to escape is appended in runs, not scalar by scalar: rows of JSON (an
        // applicant's details) pass through here whole, quotes and all.
        let utf8 = value.utf8
        var run = utf8.startIndex
        var index = run
        while index != utf8.endIndex {
            let byte = utf8[index]
            guard
                byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
                    || (asJSONEncoder && byte == UInt8(ascii: "/"))
            else {
                index = utf8.index(after: index)
                continue
            }
            // An ASCII byte is a character of its own: the run before it ends on a character boundary.
            text += value[run..<index]
            switch byte {
            case UInt8(ascii: "\""): text += "\\\""
            case UInt8(ascii: "\\"): text += "\\\\"
            case UInt8(ascii: "/"): text += "\\/"
            case UInt8(ascii: "\n"): text += "\\n"
            case UInt8(ascii: "\r"): text += "\\r"
            case UInt8(ascii: "\t"): text += "\\t"
            case 0x08 where asJSONEncoder: text += "\\b"
            case 0x0C where asJSONEncoder: text += "\\f"
            default:
                let hex = String(byte, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
            index = utf8.index(after: index)
            run = index
        }
        text += value[run..<utf8.endIndex]
        text += "\""
    }
}
