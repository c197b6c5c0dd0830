import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortalStore
import PortalTestSupport
import SQLKit
import Testing

@Suite struct PasswordFlowTests {
    static let form = AccountFlowTests.form
    static let oldPassword = "trâu ơi ta bảo trâu này"
    static let newPassword = "ngựa ô thương kẻ chinh nhân"

    static func signIn(_ client: any TestClientProtocol, password: String) async throws -> (
        status: HTTPResponse.Status, session: String?
    ) {
        let (cookie, token) = try await AccountFlowTests.anonymousToken(client)
        return try await client.execute(
            uri: "/dang-nhap", method: .post, headers: form + [.cookie: cookie],
            body: AccountFlowTests.body([("login", "an@example.vn"), ("password", password), ("csrf_token", token)])
        ) { ($0.status, $0.cookies["phien"]) }
    }

    static func outboxBodies(_ url: DatabaseURL, subject: String) async throws -> [String] {
        let database = try await Database.open(url, logger: TestDatabases.quietLogger)
        let rows = try await database.sql.raw(
            "SELECT body FROM outbox WHERE subject LIKE \(bind: "%" + subject + "%") ORDER BY id"
        ).all().map { try $0.decode(column: "body", as: String.self) }
        await database.shutdown()
        return rows
    }

    @Test(arguments: TestEngine.available)
    func aPasswordChangeEndsTheOtherSessionsAndAResetLinkWorksOnce(engine: TestEngine) async throws {
        try await TestPortal.withClientAndStorage(engine) { client, url, _ in
            let first = try await DossierFlowTests.register(client, fields: AccountFlowTests.citizen)
            let other = try #require(try await Self.signIn(client, password: Self.oldPassword).session)
            func change(_ current: String, _ new: String, _ confirm: String) async throws -> (
                HTTPResponse.Status, String
            ) {
                try await client.execute(
                    uri: "/tai-khoan/mat-khau", method: .post, headers: first.formHeaders,
                    body: AccountFlowTests.body([
                        ("current_password", current), ("password", new), ("password_confirm", confirm),
                        ("csrf_token", first.token),
                    ])
                ) { ($0.status, $0.text) }
            }
            let wrong = try await change("sai mật khẩu rồi", Self.newPassword, Self.newPassword)
            #expect(wrong.0 == .unprocessableContent && wrong.1.contains("Mật khẩu hiện tại không đúng"))
            let common = try await change(Self.oldPassword, "12345678", "12345678")
            #expect(common.0 == .unprocessableContent)
            let done = try await change(Self.oldPassword, Self.newPassword, Self.newPassword)
            #expect(done.0 == .ok && done.1.contains("Đã đổi mật khẩu"))
            // The other session ended; this one goes on.
            try await client.execute(uri: "/tai-khoan", method: .get, headers: [.cookie: "phien=\(other)"]) {
                #expect($0.status == .seeOther)
            }
            try await client.execute(uri: "/tai-khoan", method: .get, headers: first.headers) {
                #expect($0.status == .ok)
            }
            #expect(try await Self.signIn(client, password: Self.oldPassword).status == .unauthorized)

            // Forgotten: the same answer for a known and an unknown address; only the known one gets a link.
            let (cookie, token) = try await AccountFlowTests.anonymousToken(client)
            var answers: [String] = []
            for email in ["an@example.vn", "khong-co@example.vn"] {
                let text = try await client.execute(
                    uri: "/quen-mat-khau", method: .post, headers: Self.form + [.cookie: cookie],
                    body: AccountFlowTests.body([("email", email), ("csrf_token", token)])
                ) { response in
                    #expect(response.status == .ok)
                    return response.text
                }
                answers.append(text.contains("Nếu địa chỉ này có tài khoản") ? "same" : text)
            }
            #expect(answers == ["same", "same"])
            let bodies = try await Self.outboxBodies(url, subject: "đặt lại mật khẩu")
            #expect(bodies.count == 1)
            let body = try #require(bodies.first)
            // The e-mail carries an absolute link (the test portal listens on port 0).
            #expect(body.contains("http://127.0.0.1:0/dat-lai-mat-khau?token="))
            let link = try DossierFlowTests.firstMatch(#"(/dat-lai-mat-khau\?token=[0-9a-f]{32})"#, in: body)
            let resetToken = String(link.split(separator: "=").last ?? "")
            try await client.execute(uri: "/dat-lai-mat-khau?token=\(String(repeating: "0", count: 32))", method: .get)
            {
                #expect($0.status == .notFound)
                #expect($0.text.contains("không còn dùng được"))
            }
            try await client.execute(uri: link, method: .get, headers: [.cookie: cookie]) {
                #expect($0.status == .ok)
                #expect($0.text.contains("name=\"token\" value=\"\(resetToken)\""))
            }
            let finalPassword = "hoa sen trong đầm nở rộ"
            func reset() async throws -> HTTPResponse.Status {
                try await client.execute(
                    uri: "/dat-lai-mat-khau", method: .post, headers: Self.form + [.cookie: cookie],
                    body: AccountFlowTests.body([
                        ("token", resetToken), ("password", finalPassword), ("password_confirm", finalPassword),
                        ("csrf_token", token),
                    ])
                ) { $0.status }
            }
            #expect(try await reset() == .seeOther)
            try await client.execute(uri: "/dang-nhap?dat-lai=1", method: .get) {
                #expect($0.text.contains("Đã đặt mật khẩu mới"))
            }
            #expect(try await reset() == .notFound, "a link works once")
            // Every session ended; the new password signs in.
            try await client.execute(uri: "/tai-khoan", method: .get, headers: first.headers) {
                #expect($0.status == .seeOther)
            }
            #expect(try await Self.signIn(client, password: finalPassword).status == .seeOther)
        }
    }

    @Test(arguments: TestEngine.available)
    func theOwnerIsToldOnceWhenSignInIsPausedAfterWrongPasswords(engine: TestEngine) async throws {
        try await TestPortal.withClientAndStorage(engine) { client, url, _ in
            _ = try await DossierFlowTests.register(client, fields: AccountFlowTests.citizen)
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<8 { statuses.append(try await Self.signIn(client, password: "không phải mật khẩu").status) }
            #expect(statuses.prefix(6).allSatisfy { $0 == .unauthorized })
            #expect(statuses.suffix(2).allSatisfy { $0 == .tooManyRequests })
            let notices = try await Self.outboxBodies(url, subject: "nhiều lần đăng nhập sai")
            #expect(notices.count == 1)
            #expect(notices.first?.contains("tạm dừng 30 giây") == true)
        }
    }
}
