import Foundation
import Testing

@testable import PortalCore

@Suite struct TOTPTests {
    /// The SHA-1 secret of RFC 6238 appendix B.
    static let rfcSecret = Array("12345678901234567890".utf8)
    static let totp = TOTP(secret: rfcSecret)

    /// RFC 6238 appendix B, SHA-1 rows: the time, the step, and the last six of the eight published digits.
    @Test(arguments: [
        (59.0, 1, "287082"), (1_111_111_109, 37_037_036, "081804"), (1_111_111_111, 37_037_037, "050471"),
        (1_234_567_890, 41_152_263, "005924"), (2_000_000_000, 66_666_666, "279037"),
        (20_000_000_000, 666_666_666, "353130"),
    ])
    func codesMatchTheRFCVectors(seconds: Double, step: Int, code: String) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(TOTP.counter(at: date) == step)
        #expect(Self.totp.code(at: date) == code)
        #expect(Self.totp.verify(code, at: date) == step)
    }

    @Test func aCodeFromTheNextOrPreviousStepIsAcceptedAndNamesItsStep() {
        let now = Date(timeIntervalSince1970: 1_234_567_890)
        let step = TOTP.counter(at: now)
        for offset in -1...1 {
            let code = Self.totp.code(counter: step + offset)
            #expect(Self.totp.verify(code, at: now) == step + offset, "offset \(offset)")
        }
    }

    @Test func aCodeTwoStepsAwayIsRefusedUnlessTheWindowIsWidened() {
        let now = Date(timeIntervalSince1970: 1_234_567_890)
        let step = TOTP.counter(at: now)
        for offset in [-2, 2] {
            let code = Self.totp.code(counter: step + offset)
            #expect(Self.totp.verify(code, at: now) == nil, "offset \(offset)")
            #expect(Self.totp.verify(code, at: now, window: 2) == step + offset, "offset \(offset)")
        }
        #expect(Self.totp.verify(Self.totp.code(counter: step + 1), at: now, window: 0) == nil)
        #expect(Self.totp.verify(Self.totp.code(counter: step), at: now, window: 0) == step)
    }

    @Test func spacesAroundAndInsideTheCodeAreIgnored() {
        let at59 = Date(timeIntervalSince1970: 59)
        for typed in ["287 082", " 287082 ", "\u{00A0}287082\t", "28 70 82"] {
            #expect(Self.totp.verify(typed, at: at59) == 1, "\(typed)")
        }
    }

    @Test(arguments: ["28708a", "-87082", "+287082", "2870820", "28708", "", "２８７０８２", "٢٨٧٠٨٢", "287-082"])
    func anythingButSixASCIIDigitsIsRefused(typed: String) {
        #expect(Self.totp.verify(typed, at: Date(timeIntervalSince1970: 59)) == nil)
    }

    @Test func aWrongCodeIsRefused() {
        #expect(Self.totp.verify("287083", at: Date(timeIntervalSince1970: 59)) == nil)
    }

    @Test func datesBeforeTheEpochUseStepZeroAndNeverANegativeStep() {
        let before = Date(timeIntervalSince1970: -90)
        #expect(TOTP.counter(at: before) == 0)
        #expect(Self.totp.verify(Self.totp.code(counter: 0), at: before) == 0)
        #expect(Self.totp.verify(Self.totp.code(counter: 1), at: Date(timeIntervalSince1970: 0)) == 1)
    }

    @Test func generatedSecretsAreTwentyFreshBytes() {
        let first = TOTP.generateSecret()
        let second = TOTP.generateSecret()
        #expect(first.count == 20)
        #expect(second.count == 20)
        #expect(first != second)
    }

    @Test func theProvisioningURIFollowsTheKeyURIFormatAndEncodesVietnamese() throws {
        let uri = Self.totp.provisioningURI(issuer: "Cổng DVC", account: "nguyen.van.a@example.vn")
        #expect(
            uri == "otpauth://totp/C%E1%BB%95ng%20DVC:nguyen.van.a%40example.vn"
                + "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=C%E1%BB%95ng%20DVC"
                + "&algorithm=SHA1&digits=6&period=30")
        let components = try #require(URLComponents(string: uri))
        #expect(components.scheme == "otpauth")
        #expect(components.host == "totp")
        #expect(components.path == "/Cổng DVC:nguyen.van.a@example.vn")
        let query = Dictionary(uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(query["issuer"] == "Cổng DVC")
        #expect(try Base32.decode(query["secret"] ?? "") == Self.rfcSecret)
    }

    @Test func decomposedVietnameseGivesTheSameURIAsPrecomposed() {
        let precomposed = "Cổng DVC"
        let decomposed = precomposed.decomposedStringWithCanonicalMapping
        #expect(Array(decomposed.unicodeScalars) != Array(precomposed.unicodeScalars))
        #expect(
            Self.totp.provisioningURI(issuer: decomposed, account: "a")
                == Self.totp.provisioningURI(issuer: precomposed, account: "a"))
    }

    @Test func separatorsInsideNamesCannotChangeTheURIStructure() {
        let uri = Self.totp.provisioningURI(issuer: "A:B&C", account: "x?y=z#w")
        #expect(uri.hasPrefix("otpauth://totp/A%3AB%26C:x%3Fy%3Dz%23w?secret="))
        #expect(uri.contains("&issuer=A%3AB%26C&"))
    }
}
