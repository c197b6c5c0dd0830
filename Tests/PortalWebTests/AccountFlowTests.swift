import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PortalStore
import PortalTestSupport
import SQLKit
import Testing

@Suite struct AccountFlowTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    static func body(_ fields: [(String, String)]) -> ByteBuffer {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let text = fields.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
        return ByteBuffer(string: text)
    }

    static let citizen: [(String, String)] = [
        ("account_type", "citizen"), ("personal_id", "001090001234"), ("full_name", "Nguyễn Văn An"),
        ("birth_date", "1990-03-27"), ("sex", "male"), ("phone", "0912 345 678"), ("email", "An@Example.vn"),
        ("province_code", "01"), ("password", "trâu ơi ta bảo trâu này"),
        ("password_confirm", "trâu ơi ta bảo trâu này"),
    ]

    /// Opens the registration form and returns the anonymous CSRF cookie and token.
    static func anonymousToken(_ client: any TestClientProtocol) async throws -> (cookie: String, token: String) {
        try await client.execute(uri: "/dang-ky", method: .get) { response in
            #expect(response.status == .ok)
            let cookie = try #require(response.cookies["csrf"])
            let token = try #require(response.csrfToken)
            #expect(cookie == token)
            return ("csrf=\(cookie)", token)
        }
    }

    @Test(arguments: TestEngine.available)
    func aCitizenRegistersSignsOutAndSignsInAgainWithCookiesAndTokens(engine: TestEngine) async throws {
        let capture = LogCapture()
        let secrets = try await TestPortal.withClient(engine, logger: capture.logger()) { client in
            let (cookie, token) = try await Self.anonymousToken(client)
            // Without the token nothing is created.
            try await client.execute(
                uri: "/dang-ky", method: .post, headers: Self.form + [.cookie: cookie], body: Self.body(Self.citizen)
            ) { response in
                #expect(response.status == .forbidden)
                #expect(response.text.contains("Biểu mẫu đã hết hạn"))
            }
            let session = try await client.execute(
                uri: "/dang-ky", method: .post, headers: Self.form + [.cookie: cookie],
                body: Self.body(Self.citizen + [("csrf_token", token)])
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/tai-khoan")
                let setCookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("phien=") })
                #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax"))
                return try #require(response.cookies["phien"])
            }
            #expect(session.count == 32 && session != token)
            let sessionToken = try await client.execute(
                uri: "/tai-khoan", method: .get, headers: [.cookie: "phien=\(session)"]
            ) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("<dd>Nguyễn Văn An</dd>"))
                #expect(response.headers[.cacheControl] == "no-store")
                return try #require(response.csrfToken)
            }
            // Sign out needs the session's token; the anonymous one is refused.
            try await client.execute(
                uri: "/dang-xuat", method: .post, headers: Self.form + [.cookie: "phien=\(session)"],
                body: Self.body([("csrf_token", token)])
            ) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(
                uri: "/dang-xuat", method: .post, headers: Self.form + [.cookie: "phien=\(session)"],
                body: Self.body([("csrf_token", sessionToken)])
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.cookies["phien"] == "")
            }
            try await client.execute(uri: "/tai-khoan", method: .get, headers: [.cookie: "phien=\(session)"]) {
                #expect($0.status == .seeOther)
                #expect($0.headers[.location] == "/dang-nhap?next=/tai-khoan")
            }
            // Sign in again, with the ID number and then with the e-mail: a new session each time.
            var seen: Set<String> = [session]
            for login in ["001090001234", "an@example.vn"] {
                let (cookie, token) = try await Self.anonymousToken(client)
                let newSession = try await client.execute(
                    uri: "/dang-nhap", method: .post, headers: Self.form + [.cookie: cookie],
                    body: Self.body([("login", login), ("password", "trâu ơi ta bảo trâu này"), ("csrf_token", token)])
                ) { response in
                    #expect(response.status == .seeOther, "\(login)")
                    return try #require(response.cookies["phien"])
                }
                #expect(seen.insert(newSession).inserted)
            }
            return Array(seen) + [token, sessionToken]
        }
        // No password, token, ID number or e-mail appears in any log line of the whole flow.
        let lines = capture.all
        #expect(lines.count > 10)
        for line in lines {
            for secret in secrets + ["001090001234", "trâu ơi", "tr%C3%A2u", "an@example.vn", "An@Example.vn"] {
                #expect(!line.contains(secret), "\(line)")
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func badRegistrationsNameEveryFieldAndCreateNothing(engine: TestEngine) async throws {
        try await TestPortal.withClient(engine) { client in
            let (cookie, token) = try await Self.anonymousToken(client)
            let bad: [(String, String)] = [
                ("account_type", "citizen"), ("personal_id", "001190001234"), ("full_name", "Trần Thị Bình"),
                ("birth_date", "1990-03-27"), ("sex", "male"), ("phone", "0212345678"), ("email", "khong-phai-email"),
                ("province_code", "99"), ("password", "12345678"), ("password_confirm", "12345678"),
                ("csrf_token", token),
            ]
            try await client.execute(
                uri: "/dang-ky?lang=en", method: .post, headers: Self.form + [.cookie: cookie], body: Self.body(bad)
            ) { response in
                #expect(response.status == .unprocessableContent)
                let html = response.text
                #expect(html.contains("<title>Error: Create an account"))
                for field in ["personal_id", "phone", "email", "province_code", "password"] {
                    #expect(html.contains("<li><a href=\"#\(field)\">"), "\(field)")
                }
                #expect(html.contains("Enter a Vietnamese mobile number of 10 digits"))
                #expect(html.contains("value=\"Trần Thị Bình\""))  // answers are kept
                #expect(!html.contains("value=\"12345678\""))  // passwords are not
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func repeatedWrongPasswordsAreThrottledWithRetryAfter(engine: TestEngine) async throws {
        try await TestPortal.withClient(engine) { client in
            let (cookie, token) = try await Self.anonymousToken(client)
            // Five failures are free; the sixth locks the account for 30 s, so the seventh attempt waits.
            for attempt in 1...7 {
                try await client.execute(
                    uri: "/dang-nhap", method: .post, headers: Self.form + [.cookie: cookie],
                    body: Self.body([
                        ("login", "001090001234"), ("password", "sai mật khẩu \(attempt)"), ("csrf_token", token),
                    ])
                ) { response in
                    if attempt <= 6 {
                        #expect(response.status == .unauthorized, "attempt \(attempt)")
                        #expect(response.text.contains("Thông tin đăng nhập không đúng"))
                    } else {
                        #expect(response.status == .tooManyRequests)
                        #expect(Int(response.headers[.retryAfter] ?? "") ?? 0 > 0)
                    }
                }
            }
        }
    }
}

@Suite struct LoginThrottleTests {
    @Test(arguments: TestEngine.available)
    func theLockDoublesAfterTheFreeFailuresAndLiftsAfterTheWait(engine: TestEngine) async throws {
        try await TestDatabases.withDatabase(engine) { database in
            let throttle = LoginThrottle(
                database: database, freeFailures: 2, baseLock: .seconds(10), maximumLock: .seconds(25))
            let keys = ["login:a", "address:127.0.0.1"]
            let start = Date(timeIntervalSince1970: 1_800_000_000)
            #expect(try await throttle.retryAfter(keys: keys, now: start) == nil)
            try await throttle.recordFailure(keys: keys, now: start)
            try await throttle.recordFailure(keys: keys, now: start)
            #expect(try await throttle.retryAfter(keys: keys, now: start) == nil)
            try await throttle.recordFailure(keys: keys, now: start)  // 3rd: 10 s
            #expect(try await throttle.retryAfter(keys: keys, now: start) == 10)
            #expect(try await throttle.retryAfter(keys: keys, now: start.addingTimeInterval(10)) == nil)
            try await throttle.recordFailure(keys: keys, now: start.addingTimeInterval(10))  // 4th: 20 s
            #expect(try await throttle.retryAfter(keys: keys, now: start.addingTimeInterval(10)) == 20)
            try await throttle.recordFailure(keys: keys, now: start.addingTimeInterval(30))  // 5th: capped at 25 s
            #expect(try await throttle.retryAfter(keys: keys, now: start.addingTimeInterval(30)) == 25)
            // A success clears the account's count; the address keeps its own.
            try await throttle.clear(keys: ["login:a"])
            #expect(try await throttle.retryAfter(keys: ["login:a"], now: start.addingTimeInterval(30)) == nil)
            #expect(try await throttle.retryAfter(keys: ["address:127.0.0.1"], now: start.addingTimeInterval(30)) == 25)
        }
    }
}
