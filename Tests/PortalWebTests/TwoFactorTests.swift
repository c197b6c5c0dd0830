import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortalCore
import PortalStore
import PortalTestSupport
import PortalWeb
import Testing

@Suite struct TwoFactorTests {
    static let password = "mật khẩu cán bộ"

    static func signIn(_ client: any TestClientProtocol) async throws -> String {
        let (cookie, token) = try await AccountFlowTests.anonymousToken(client)
        return try await client.execute(
            uri: "/dang-nhap", method: .post, headers: AccountFlowTests.form + [.cookie: cookie],
            body: AccountFlowTests.body([
                ("login", "cb@example.gov.vn"), ("password", Self.password), ("csrf_token", token),
            ])
        ) { try #require($0.cookies["phien"]) }
    }

    static func verify(_ client: any TestClientProtocol, session: String, _ field: String, _ value: String) async throws
        -> (HTTPResponse.Status, String)
    {
        let csrf = try await client.execute(
            uri: "/xac-thuc-hai-buoc", method: .get, headers: [.cookie: "phien=\(session)"]
        ) { try #require($0.csrfToken) }
        return try await client.execute(
            uri: "/xac-thuc-hai-buoc", method: .post, headers: AccountFlowTests.form + [.cookie: "phien=\(session)"],
            body: AccountFlowTests.body([(field, value), ("csrf_token", csrf)])
        ) { ($0.status, $0.text) }
    }

    @Test(arguments: TestEngine.available)
    func recoveryCodesWorkOnceAndACodeCannotBeReplayed(engine: TestEngine) async throws {
        try await TestPortal.withClientAndStorage(engine) { client, url, _ in
            let database = try await Database.open(url, logger: TestDatabases.quietLogger)
            try await AdministratorAccounts(database: database, cost: 4).createStaff(
                role: .officer, email: "cb@example.gov.vn", password: Self.password, fullName: "Cán Bộ",
                agencyCode: "000.00.61.H29")
            await database.shutdown()

            // Enrolment: the secret from the page, the first code, then the recovery codes shown once.
            let first = try await Self.signIn(client)
            let page = try await client.execute(
                uri: "/xac-thuc-hai-buoc", method: .get, headers: [.cookie: "phien=\(first)"]
            ) { $0.text }
            let secret = try DossierFlowTests.firstMatch(#"<code class="secret">([^<]*)<"#, in: page)
                .filter { !$0.isWhitespace }
            let totp = TOTP(secret: try Base32.decode(secret))
            let code = totp.code(at: Date())
            let (enrolled, text) = try await Self.verify(client, session: first, "code", code)
            #expect(enrolled == .ok)
            let recovery = text.components(separatedBy: "<li><code>").dropFirst().compactMap {
                $0.components(separatedBy: "</code>").first
            }
            #expect(recovery.count == 10)

            // A new sign-in: the same code again is a replay and is refused.
            let second = try await Self.signIn(client)
            #expect(try await Self.verify(client, session: second, "code", code).0 == .unprocessableContent)
            // A recovery code works (typed in capitals with spaces) …
            let typed = try #require(recovery.first).uppercased().replacingOccurrences(of: "-", with: " ")
            #expect(try await Self.verify(client, session: second, "recovery_code", typed).0 == .seeOther)
            try await client.execute(uri: "/can-bo", method: .get, headers: [.cookie: "phien=\(second)"]) {
                #expect($0.status == .ok)
            }
            // … once.
            let third = try await Self.signIn(client)
            #expect(
                try await Self.verify(client, session: third, "recovery_code", try #require(recovery.first)).0
                    == .unprocessableContent)
            #expect(try await Self.verify(client, session: third, "recovery_code", recovery[1]).0 == .seeOther)
        }
    }
}
