import PortalCore
import Testing

@Suite struct Base32Tests {
    /// RFC 4648 section 10.
    static let vectors: [(plain: String, encoded: String)] = [
        ("", ""), ("f", "MY======"), ("fo", "MZXQ===="), ("foo", "MZXW6==="), ("foob", "MZXW6YQ="),
        ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI======"),
    ]

    @Test(arguments: vectors)
    func encodingMatchesTheRFCVectors(plain: String, encoded: String) {
        #expect(Base32.encode(Array(plain.utf8)) == encoded)
        #expect(Base32.encode(Array(plain.utf8), padding: false) == encoded.filter { $0 != "=" })
    }

    @Test(arguments: vectors)
    func decodingMatchesTheRFCVectorsWithOrWithoutPadding(plain: String, encoded: String) throws {
        #expect(try Base32.decode(encoded) == Array(plain.utf8))
        #expect(try Base32.decode(encoded.filter { $0 != "=" }) == Array(plain.utf8))
    }

    @Test func decodingAcceptsLowerCaseAndSpacesAsPeopleTypeThem() throws {
        #expect(try Base32.decode("mzxw 6ytb oi") == Array("foobar".utf8))
        #expect(try Base32.decode(" GEZD GNBV\tGY3T QOJQ ") == Array("1234567890".utf8))
    }

    @Test(arguments: ["MZXW1", "MZXW0YTB", "MZXW6YT!", "MZXW6YTÉ", "MZ=XW6YT", "MZXW6YTB-"])
    func decodingRefusesCharactersOutsideTheAlphabet(text: String) {
        #expect(throws: Base32.DecodingError.self) { try Base32.decode(text) }
    }

    @Test func decodingNamesTheFirstBadCharacter() {
        #expect(throws: Base32.DecodingError.invalidCharacter("1")) { try Base32.decode("MZ1W8") }
        #expect(throws: Base32.DecodingError.invalidCharacter("X")) { try Base32.decode("MY==X") }
    }

    @Test(arguments: ["M", "MZX", "MZXW6Y", "MZXW6YTBM"])
    func decodingRefusesLengthsNoEncoderProduces(text: String) {
        #expect(throws: Base32.DecodingError.invalidLength) { try Base32.decode(text) }
    }

    @Test func randomBytesSurviveARoundTrip() throws {
        var generator = SplitMix64(seed: 4648)
        for length in 0...64 {
            let bytes = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            #expect(try Base32.decode(Base32.encode(bytes)) == bytes)
            #expect(try Base32.decode(Base32.encode(bytes, padding: false).lowercased()) == bytes)
        }
    }
}
