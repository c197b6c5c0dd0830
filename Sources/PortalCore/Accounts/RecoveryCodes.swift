/// One-time recovery codes for a citizen who has lost the phone with the authenticator app. They are read off paper
/// and typed back, so the alphabet leaves out look-alikes (0/o, 1/l/i) and the form ignores case, spaces and dashes.
public enum RecoveryCodes {
    /// Lower-case letters and digits without 0, o, 1, l and i: 31 symbols, about 4.95 bits each.
    public static let alphabet: [Character] = Array("23456789abcdefghjkmnpqrstuvwxyz")
    /// Symbols in a code: 12 × log2(31) ≈ 59.5 bits, out of reach of guessing behind a rate limit.
    public static let symbolsPerCode = 12
    /// Symbols between dashes when a code is shown.
    public static let groupLength = 4

    /// `count` distinct codes such as `k7m2-q9xd-4tpa`, from the system's cryptographically secure generator.
    public static func generate(count: Int = 10) -> [String] {
        var generator = SystemRandomNumberGenerator()
        return generate(count: count, using: &generator)
    }

    /// `count` distinct codes drawn from `generator`.
    static func generate(count: Int, using generator: inout some RandomNumberGenerator) -> [String] {
        var codes: [String] = []
        var seen = Set<String>()
        while codes.count < max(0, count) {
            var code = ""
            for index in 0..<symbolsPerCode {
                if index > 0, index % groupLength == 0 { code.append("-") }
                // random(in:) draws without modulo bias.
                code.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)])
            }
            if seen.insert(code).inserted { codes.append(code) }
        }
        return codes
    }

    /// The form to hash and compare: lower case, without white space or dashes, so `K7M2 Q9XD-4TPA` matches.
    public static func normalize(_ input: String) -> String {
        String(input.lowercased().filter { !$0.isWhitespace && $0 != "-" })
    }
}
