import PortalCore
import Testing

@Suite struct PasswordPolicyTests {
    @Test func theCommonPasswordListHasAtLeastTenThousandEntries() {
        #expect(PasswordPolicy.commonPasswords.count >= 10_000)
        for common in ["password123", "matkhau@123", "anhyeuem", "12345678", "01011990", "qwerty2024", "nguyen1995"] {
            #expect(PasswordPolicy.commonPasswords.contains(common), "\(common)")
        }
    }

    @Test(arguments: [
        ("short", "short", PasswordPolicy.Problem.tooShort), (String(repeating: "x", count: 129), "", .tooLong),
        ("Matkhau@123", "Matkhau@123", .common), ("một câu dài dễ nhớ", "một câu khác", .mismatch),
        ("001203004567", "001203004567", .common),
    ])
    func badPasswordsAreRefusedForOneReason(password: String, confirmation: String, problem: PasswordPolicy.Problem) {
        #expect(
            PasswordPolicy.problem(password: password, confirmation: confirmation, personal: ["001203004567"])
                == problem)
    }

    @Test func aLongPassphraseWithoutCompositionRulesIsAccepted() {
        let passphrase = "trâu ơi ta bảo trâu này"
        #expect(PasswordPolicy.problem(password: passphrase, confirmation: passphrase) == nil)
        let sixtyFour = String(repeating: "ab", count: 32)
        #expect(PasswordPolicy.problem(password: sixtyFour, confirmation: sixtyFour) == nil)
    }
}
