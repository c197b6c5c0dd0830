import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortalTestSupport
import PortalWeb
import Testing

/// Under a rush of sign-ins the password checks waiting for a core are bounded: the ones beyond the bound are
/// answered 503 with `Retry-After` at once, instead of every request queueing behind them.
@Suite struct LoadSheddingTests {
    @Test func aRushOfSignInsIsShedWithRetryAfter() async throws {
        try await TestPortal.withClient(.sqlite) { client in
            let (cookie, token) = try await AccountFlowTests.anonymousToken(client)
            // Unknown logins are checked against a full-cost decoy hash, so each check takes a core for a while.
            let answers = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for number in 0..<48 {
                    group.addTask {
                        try await client.execute(
                            uri: "/dang-nhap", method: .post, headers: AccountFlowTests.form + [.cookie: cookie],
                            body: AccountFlowTests.body([
                                ("login", "khong-co-\(number)@example.vn"), ("password", "sai mật khẩu"),
                                ("csrf_token", token),
                            ])
                        ) { ($0.status, $0.headers[.retryAfter]) }
                    }
                }
                var answers: [(HTTPResponse.Status, String?)] = []
                for try await answer in group { answers.append(answer) }
                return answers
            }
            let shed = answers.filter { $0.0 == .serviceUnavailable }
            #expect(!shed.isEmpty, "\(answers.map(\.0.code))")
            #expect(shed.allSatisfy { $0.1 == "2" })
            // Everything else was checked and refused as a wrong password; nothing failed otherwise.
            #expect(answers.allSatisfy { $0.0 == .serviceUnavailable || $0.0.code < 500 })
            #expect(answers.contains { $0.0 != .serviceUnavailable })
        }
    }
}
