/// RFC 4648 base32, the form authenticator apps expect for a TOTP secret. Written here rather than pulled in so that
/// decoding can forgive what people type when they enter a secret by hand: lower case, spaces and padding.
public enum Base32 {
    /// Why a string is not base32.
    public enum DecodingError: Error, Equatable, Sendable {
        /// A character outside the alphabet, or something other than padding after padding.
        case invalidCharacter(Character)
        /// A number of symbols that no whole number of bytes encodes (1, 3 or 6 symbols in the last group of 8).
        case invalidLength
    }

    /// The RFC 4648 alphabet, section 6.
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// Encodes bytes with the upper-case alphabet; `padding: false` leaves out the trailing `=`, as otpauth URIs want.
    public static func encode(_ bytes: some Sequence<UInt8>, padding: Bool = true) -> String {
        var output: [UInt8] = []
        var buffer = 0
        var bitCount = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bitCount += 8
            while bitCount >= 5 {
                bitCount -= 5
                output.append(alphabet[(buffer >> bitCount) & 0x1F])
            }
            buffer &= (1 << bitCount) - 1
        }
        if bitCount > 0 {
            output.append(alphabet[(buffer << (5 - bitCount)) & 0x1F])
        }
        if padding {
            while output.count % 8 != 0 { output.append(UInt8(ascii: "=")) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes base32 in either case, skipping white space and trailing `=` padding.
    public static func decode(_ text: String) throws(DecodingError) -> [UInt8] {
        var output: [UInt8] = []
        var buffer = 0
        var bitCount = 0
        var symbolCount = 0
        var inPadding = false
        for character in text {
            if character.isWhitespace { continue }
            if character == "=" {
                inPadding = true
                continue
            }
            guard !inPadding, let value = symbolValue(character) else {
                throw .invalidCharacter(character)
            }
            buffer = (buffer << 5) | value
            bitCount += 5
            symbolCount += 1
            if bitCount >= 8 {
                bitCount -= 8
                output.append(UInt8((buffer >> bitCount) & 0xFF))
                buffer &= (1 << bitCount) - 1
            }
        }
        // A last group of 1, 3 or 6 symbols leaves 5 or more bits over: no encoder writes that.
        guard ![1, 3, 6].contains(symbolCount % 8) else { throw .invalidLength }
        return output
    }

    /// The 5-bit value of one symbol, accepting lower case.
    private static func symbolValue(_ character: Character) -> Int? {
        guard let ascii = character.asciiValue else { return nil }
        switch ascii {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return Int(ascii - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return Int(ascii - UInt8(ascii: "a"))
        case UInt8(ascii: "2")...UInt8(ascii: "7"): return Int(ascii - UInt8(ascii: "2")) + 26
        default: return nil
        }
    }
}
