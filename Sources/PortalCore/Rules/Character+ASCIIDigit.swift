extension Character {
    /// Whether the character is one of the ASCII digits 0–9 (not other Unicode digits).
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }

    /// The value of an ASCII digit, or `nil`.
    var asciiDigitValue: Int? { isASCIIDigitCharacter ? wholeNumberValue : nil }
}
