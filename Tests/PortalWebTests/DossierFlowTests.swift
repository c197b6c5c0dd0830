import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PortalCore
import PortalStore
import PortalTestSupport
import PortalWeb
import SQLKit
import Testing

/// The whole online-dossier flow over HTTP, as a citizen and an officer use it, on each engine.
@Suite struct DossierFlowTests {
    static let form = AccountFlowTests.form
    static let boundary = "----opendvc-test-7d3c"
    static let pdf = Array("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".utf8)
    static let png: [UInt8] =
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8)
        + [0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89]
    static let result = Array("%PDF-1.7\n% Giấy khai sinh bản điện tử\n%%EOF\n".utf8)

    /// A `multipart/form-data` body as a browser sends it: the fields first, then the file.
    static func multipart(_ fields: [(String, String)], file: (filename: String, bytes: [UInt8])?) -> (
        HTTPFields, ByteBuffer
    ) {
        var buffer = ByteBuffer()
        for (name, value) in fields {
            buffer.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        if let file {
            buffer.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.filename)\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n")
            buffer.writeBytes(file.bytes)
            buffer.writeString("\r\n")
        }
        buffer.writeString("--\(boundary)--\r\n")
        return ([.contentType: "multipart/form-data; boundary=\(boundary)"], buffer)
    }

    /// A signed-in browser: its session cookie and the session's CSRF token.
    struct Browser: Sendable {
        let cookie: String
        let token: String
        var headers: HTTPFields { [.cookie: cookie] }
        var formHeaders: HTTPFields { AccountFlowTests.form + [.cookie: cookie] }
    }

    static func register(_ client: any TestClientProtocol, fields: [(String, String)]) async throws -> Browser {
        let (cookie, token) = try await AccountFlowTests.anonymousToken(client)
        let session = try await client.execute(
            uri: "/dang-ky", method: .post, headers: form + [.cookie: cookie],
            body: AccountFlowTests.body(fields + [("csrf_token", token)])
        ) { response in
            #expect(response.status == .seeOther)
            return try #require(response.cookies["phien"])
        }
        return try await browser(client, session: session)
    }

    static func browser(_ client: any TestClientProtocol, session: String) async throws -> Browser {
        let token = try await client.execute(uri: "/tai-khoan", method: .get, headers: [.cookie: "phien=\(session)"]) {
            response in try #require(response.csrfToken)
        }
        return Browser(cookie: "phien=\(session)", token: token)
    }

    /// Signs an officer in and completes two-factor enrolment with a code computed from the page's secret.
    static func officerSignIn(
        _ client: any TestClientProtocol, email: String, password: String, probe: String = "/can-bo"
    ) async throws -> Browser {
        let (cookie, token) = try await AccountFlowTests.anonymousToken(client)
        let session = try await client.execute(
            uri: "/dang-nhap", method: .post, headers: form + [.cookie: cookie],
            body: AccountFlowTests.body([("login", email), ("password", password), ("csrf_token", token)])
        ) { response in
            #expect(response.status == .seeOther)
            return try #require(response.cookies["phien"])
        }
        // Before two-factor, officer pages send the officer to the two-factor page.
        try await client.execute(uri: probe, method: .get, headers: [.cookie: "phien=\(session)"]) { response in
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/xac-thuc-hai-buoc")
        }
        let (secret, csrf) = try await client.execute(
            uri: "/xac-thuc-hai-buoc", method: .get, headers: [.cookie: "phien=\(session)"]
        ) { response in
            #expect(response.status == .ok)
            #expect(response.text.contains("data:image/svg+xml;base64,"))
            let text = response.text
            let start = try #require(text.range(of: "<code class=\"secret\">"))
            let secret = String(text[start.upperBound...].prefix { $0 != "<" }).filter { !$0.isWhitespace }
            return (secret, try #require(response.csrfToken))
        }
        let totp = TOTP(secret: try Base32.decode(secret))
        let wrong = String((Int(totp.code(at: Date())) ?? 0 + 1) % 1_000_000 + 1)
        try await client.execute(
            uri: "/xac-thuc-hai-buoc", method: .post, headers: form + [.cookie: "phien=\(session)"],
            body: AccountFlowTests.body([("code", wrong.count < 6 ? "000000" : wrong), ("csrf_token", csrf)])
        ) { response in
            #expect(response.status == .unprocessableContent)
        }
        try await client.execute(
            uri: "/xac-thuc-hai-buoc", method: .post, headers: form + [.cookie: "phien=\(session)"],
            body: AccountFlowTests.body([("code", totp.code(at: Date())), ("csrf_token", csrf)])
        ) { response in
            #expect(response.status == .ok)
            // The recovery codes are shown once.
            #expect(response.text.contains("recovery-codes"))
        }
        return Browser(cookie: "phien=\(session)", token: csrf)
    }

    static func firstMatch(_ pattern: String, in text: String) throws -> String {
        let regex = try NSRegularExpression(pattern: pattern)
        let range = NSRange(text.startIndex..., in: text)
        let match = try #require(regex.firstMatch(in: text, range: range))
        let group = match.numberOfRanges > 1 ? match.range(at: 1) : match.range
        return String(text[try #require(Range(group, in: text))])
    }

    static func attachmentBlobs(_ directory: String) -> [String] {
        let root = URL(fileURLWithPath: directory).appendingPathComponent("attachments/sha256").path
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        return enumerator.compactMap { $0 as? String }.filter { $0.count > 60 }
    }

    @Test(arguments: TestEngine.available)
    func aCitizenSubmitsAndAnOfficerHandlesTheDossierToTheEnd(engine: TestEngine) async throws {
        let capture = LogCapture()
        try await TestPortal.withClientAndStorage(engine, logger: capture.logger()) { client, url, directory in
            let citizen = try await Self.register(client, fields: AccountFlowTests.citizen)

            // Start: choose the agency.
            let agency = try await client.execute(
                uri: "/thu-tuc/1.001193/nop", method: .get, headers: citizen.headers
            ) { response in
                #expect(response.status == .ok)
                return try Self.firstMatch(#"name="agency_code" value="([^"]+)""#, in: response.text)
            }
            let ref = try await client.execute(
                uri: "/ho-so", method: .post, headers: citizen.formHeaders,
                body: AccountFlowTests.body([
                    ("procedure_code", "1.001193"), ("agency_code", agency), ("csrf_token", citizen.token),
                ])
            ) { response in
                #expect(response.status == .seeOther)
                let location = try #require(response.headers[.location])
                return String(location.dropFirst("/ho-so/".count))
            }
            // The draft is prefilled from the account and lists the upload slots.
            try await client.execute(uri: "/ho-so/\(ref)", method: .get, headers: citizen.headers) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("<dd>Nguyễn Văn An</dd>"))
                #expect(response.text.contains("Tờ khai đăng ký khai sinh"))
                #expect(!response.text.contains("Giấy tờ tùy thân (thẻ căn cước"), "shown at the desk: no upload slot")
            }
            // Submitting without the required document is refused with the document's name.
            try await client.execute(
                uri: "/ho-so/\(ref)/nop", method: .post, headers: citizen.formHeaders,
                body: AccountFlowTests.body([("csrf_token", citizen.token)])
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.text.contains("Chưa tải lên giấy tờ bắt buộc: Tờ khai đăng ký khai sinh"))
            }

            // Uploads: two good files; bad ones are refused and store nothing.
            for (slot, filename, bytes) in [(0, "Tờ khai.pdf", Self.pdf), (1, "giay-chung-sinh.png", Self.png)] {
                let (headers, body) = Self.multipart(
                    [("csrf_token", citizen.token), ("slot", String(slot))], file: (filename, bytes))
                try await client.execute(
                    uri: "/ho-so/\(ref)/tep", method: .post, headers: citizen.headers + headers, body: body
                ) { response in
                    #expect(response.status == .seeOther, "\(filename)")
                }
            }
            #expect(Self.attachmentBlobs(directory).count == 2)
            let refusals: [(String, [UInt8], String)] = [
                ("trick.png", Self.pdf, "phần mở rộng .png"), ("../../etc/passwd.pdf", Self.pdf, "Tên tệp"),
                ("empty.pdf", [], "trống"), ("x\u{07}.pdf", Self.pdf, "Tên tệp"),
                ("big.pdf", Self.pdf + [UInt8](repeating: 0x20, count: 10 * 1024 * 1024), "quá lớn"),
            ]
            for (filename, bytes, message) in refusals {
                let (headers, body) = Self.multipart(
                    [("csrf_token", citizen.token), ("slot", "1")], file: (filename, bytes))
                try await client.execute(
                    uri: "/ho-so/\(ref)/tep", method: .post, headers: citizen.headers + headers, body: body
                ) { response in
                    // Too large is 413; anything else wrong with the file is 422.
                    let expected: HTTPResponse.Status =
                        filename == "big.pdf" ? .contentTooLarge : .unprocessableContent
                    #expect(response.status == expected, "\(filename)")
                    #expect(response.text.contains(message), "\(filename)")
                }
            }
            // Without the CSRF field first, the file is refused before a byte is stored.
            let (forgedHeaders, forgedBody) = Self.multipart([("slot", "1")], file: ("a.pdf", Self.pdf + [1]))
            try await client.execute(
                uri: "/ho-so/\(ref)/tep", method: .post, headers: citizen.headers + forgedHeaders, body: forgedBody
            ) { response in
                #expect(response.status == .forbidden)
            }
            #expect(Self.attachmentBlobs(directory).count == 2)
            let tmp = URL(fileURLWithPath: directory).appendingPathComponent("attachments/tmp").path
            #expect((try? FileManager.default.contentsOfDirectory(atPath: tmp))?.isEmpty ?? true)

            // Fill in, review, submit.
            try await client.execute(
                uri: "/ho-so/\(ref)/luu", method: .post, headers: citizen.formHeaders,
                body: AccountFlowTests.body([
                    ("request_details", "Đăng ký khai sinh cho con gái Nguyễn Thị Bình"), ("next", "review"),
                    ("csrf_token", citizen.token),
                ])
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/ho-so/\(ref)/xem-lai")
            }
            try await client.execute(uri: "/ho-so/\(ref)/xem-lai", method: .get, headers: citizen.headers) {
                response in
                #expect(response.text.contains("Đăng ký khai sinh cho con gái Nguyễn Thị Bình"))
                #expect(response.text.contains("Tờ khai.pdf"))
            }
            try await client.execute(
                uri: "/ho-so/\(ref)/nop", method: .post, headers: citizen.formHeaders,
                body: AccountFlowTests.body([("csrf_token", citizen.token)])
            ) { response in
                #expect(response.status == .seeOther)
                #expect(response.headers[.location] == "/ho-so/\(ref)/bien-nhan")
            }
            let code = try await client.execute(
                uri: "/ho-so/\(ref)/bien-nhan", method: .get, headers: citizen.headers
            ) { response in
                #expect(response.status == .ok)
                let code = try Self.firstMatch(#"class="dossier-code">([^<]+)<"#, in: response.text)
                #expect(response.text.contains("Hạn tiếp nhận hoặc hướng dẫn bổ sung"))
                let parsed = try DossierCode(validating: code)
                #expect(parsed.agency.fullForm == agency)
                #expect(parsed.sequence == 1)
                return code
            }

            // An officer of the agency, with two-factor.
            let database = try await Database.open(url, logger: TestDatabases.quietLogger)
            let staff = AdministratorAccounts(database: database, cost: 4)
            try await staff.createStaff(
                role: .officer, email: "canbo@xa.gov.vn", password: "mật khẩu cán bộ", fullName: "Trần Thị Cán Bộ",
                agencyCode: agency)
            let otherAgency = agency == "000.00.61.H29" ? "000.00.62.H29" : "000.00.61.H29"
            try await staff.createStaff(
                role: .officer, email: "khac@xa.gov.vn", password: "mật khẩu cán bộ", fullName: "Lê Văn Khác",
                agencyCode: otherAgency)
            let officer = try await Self.officerSignIn(client, email: "canbo@xa.gov.vn", password: "mật khẩu cán bộ")
            try await client.execute(uri: "/can-bo", method: .get, headers: officer.headers) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains(code))
                #expect(response.text.contains("Mới đăng ký"))
            }
            func act(_ fields: [(String, String)], expect status: HTTPResponse.Status) async throws {
                let version = try await client.execute(
                    uri: "/can-bo/ho-so/\(ref)", method: .get, headers: officer.headers
                ) { response in
                    #expect(response.status == .ok)
                    return try Self.firstMatch(#"name="version" value="(\d+)""#, in: response.text)
                }
                try await client.execute(
                    uri: "/can-bo/ho-so/\(ref)/xu-ly", method: .post, headers: officer.formHeaders,
                    body: AccountFlowTests.body(fields + [("version", version), ("csrf_token", officer.token)])
                ) { response in
                    #expect(response.status == status, "\(fields)")
                }
            }
            try await act([("action", "receive")], expect: .seeOther)
            // Two officers on one page: the second action on the same version is a conflict and changes nothing.
            let staleVersion = try await client.execute(
                uri: "/can-bo/ho-so/\(ref)", method: .get, headers: officer.headers
            ) { response in try Self.firstMatch(#"name="version" value="(\d+)""#, in: response.text) }
            try await act(
                [("action", "request_supplement"), ("reason", "Thiếu giấy chứng sinh bản gốc")], expect: .seeOther)
            try await client.execute(
                uri: "/can-bo/ho-so/\(ref)/xu-ly", method: .post, headers: officer.formHeaders,
                body: AccountFlowTests.body([
                    ("action", "stop"), ("reason", "x"), ("version", staleVersion), ("csrf_token", officer.token),
                ])
            ) { response in
                #expect(response.status == .conflict)
                #expect(response.text.contains("vừa được người khác thay đổi"))
            }
            // Refusing at reception is no longer possible once received (a conflict with the dossier's state); stopping
            // without a reason is input to fix.
            try await act([("action", "refuse"), ("reason", "")], expect: .conflict)
            try await act([("action", "stop"), ("reason", " ")], expect: .unprocessableContent)

            // The citizen sees the request, uploads and sends the supplement.
            try await client.execute(uri: "/ho-so/\(ref)", method: .get, headers: citizen.headers) { response in
                #expect(response.text.contains("Yêu cầu bổ sung giấy tờ"))
                #expect(response.text.contains("Thiếu giấy chứng sinh bản gốc"))
                #expect(response.text.contains("Trần Thị Cán Bộ"), "the access list names the officer")
            }
            let (supplementHeaders, supplementBody) = Self.multipart(
                [("csrf_token", citizen.token)], file: ("Giấy chứng sinh.pdf", Self.pdf + Array("bản gốc".utf8)))
            try await client.execute(
                uri: "/ho-so/\(ref)/tep", method: .post, headers: citizen.headers + supplementHeaders,
                body: supplementBody
            ) { response in #expect(response.status == .seeOther) }
            try await client.execute(
                uri: "/ho-so/\(ref)/bo-sung", method: .post, headers: citizen.formHeaders,
                body: AccountFlowTests.body([("note", "Đã bổ sung"), ("csrf_token", citizen.token)])
            ) { response in #expect(response.status == .seeOther) }

            // The officer finishes with a result and returns it.
            try await act([("action", "finish")], expect: .unprocessableContent)
            let (resultHeaders, resultBody) = Self.multipart(
                [("csrf_token", officer.token)], file: ("Giấy khai sinh.pdf", Self.result))
            try await client.execute(
                uri: "/can-bo/ho-so/\(ref)/ket-qua", method: .post, headers: officer.headers + resultHeaders,
                body: resultBody
            ) { response in #expect(response.status == .seeOther) }
            try await act([("action", "finish"), ("reason", "Đã ký")], expect: .seeOther)
            try await act([("action", "return_result")], expect: .seeOther)

            // The citizen downloads the result and rates the service.
            let resultURL = try await client.execute(uri: "/ho-so/\(ref)", method: .get, headers: citizen.headers) {
                response in
                #expect(response.text.contains("Đã trả kết quả"))
                return try Self.firstMatch(
                    #"<a href="(/ho-so/[0-9a-f]+/tep/\d+)">Giấy khai sinh\.pdf</a>"#, in: response.text)
            }
            try await client.execute(uri: resultURL, method: .get, headers: citizen.headers) { response in
                #expect(response.status == .ok)
                #expect(Array(response.body.readableBytesView) == Self.result)
                #expect(response.headers[.contentType] == "application/pdf")
                let disposition = try #require(response.headers[.contentDisposition])
                #expect(disposition.hasPrefix("attachment;"))
                #expect(disposition.contains("filename*=UTF-8''Gi%E1%BA%A5y"))
            }
            try await client.execute(
                uri: "/ho-so/\(ref)/danh-gia", method: .post, headers: citizen.formHeaders,
                body: AccountFlowTests.body([("rating", "5"), ("comment", "Nhanh"), ("csrf_token", citizen.token)])
            ) { response in #expect(response.status == .seeOther) }

            // Anyone can look the code up: the timeline, and no personal data.
            try await client.execute(uri: "/api/v1/dossiers/\(code)/status", method: .get) { response in
                #expect(response.status == .ok)
                #expect(!response.text.contains("Nguyễn"))
                #expect(!response.text.contains("001090001234"))
                let json = try #require(
                    try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
                #expect(json["code"] as? String == code)
                #expect((json["procedure"] as? [String: Any])?["code"] as? String == "1.001193")
                #expect((json["agency"] as? [String: Any])?["code"] as? String == agency)
                #expect((json["status"] as? [String: Any])?["code"] as? Int == 10)
                let steps = (json["timeline"] as? [[String: Any]])?.compactMap { $0["status"] as? Int }
                #expect(steps == [1, 2, 5, 4, 9, 10])
                #expect(json["received_at"] is String && json["due_at"] is String)
            }
            try await client.execute(uri: "/tra-cuu?code=\(code)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("Đã trả kết quả"))
                #expect(!response.text.contains("Nguyễn Văn An"))
            }
            try await client.execute(uri: "/api/v1/dossiers/000.00.61.H29-250101-9999/status", method: .get) {
                response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            }

            // Another citizen and an officer of another agency see nothing: 404 everywhere.
            var stranger = AccountFlowTests.citizen
            stranger[1] = ("personal_id", "001090009876")
            stranger[6] = ("email", "binh@example.vn")
            let other = try await Self.register(client, fields: stranger)
            let otherOfficer = try await Self.officerSignIn(
                client, email: "khac@xa.gov.vn", password: "mật khẩu cán bộ")
            // Every GET and POST route of the dossier, from both.
            let applicationFile = try DossierFlowTests.firstMatch(
                #"(/ho-so/[0-9a-f]+/tep/\d+)">Tờ khai\.pdf"#,
                in: try await client.execute(uri: "/ho-so/\(ref)", method: .get, headers: citizen.headers) { $0.text })
            let gets = [
                "/ho-so/\(ref)", "/ho-so/\(ref)/bien-nhan", "/ho-so/\(ref)/xem-lai", resultURL, applicationFile,
                "/can-bo/ho-so/\(ref)",
            ]
            let posts = [
                "/ho-so/\(ref)/luu", "/ho-so/\(ref)/nop", "/ho-so/\(ref)/bo-sung", "/ho-so/\(ref)/rut",
                "/ho-so/\(ref)/danh-gia", "/ho-so/\(ref)/xoa", "\(applicationFile)/xoa", "/can-bo/ho-so/\(ref)/xu-ly",
            ]
            for browser in [other, otherOfficer] {
                for path in gets {
                    try await client.execute(uri: path, method: .get, headers: browser.headers) { response in
                        #expect(response.status == .notFound, "GET \(path)")
                    }
                }
                for path in posts {
                    try await client.execute(
                        uri: path, method: .post, headers: browser.formHeaders,
                        body: AccountFlowTests.body([
                            ("action", "stop"), ("reason", "x"), ("version", "99"), ("csrf_token", browser.token),
                        ])
                    ) { response in
                        #expect(response.status == .notFound, "POST \(path)")
                    }
                }
                for path in ["/ho-so/\(ref)/tep", "/can-bo/ho-so/\(ref)/ket-qua"] {
                    let (headers, body) = Self.multipart(
                        [("csrf_token", browser.token)], file: ("x.pdf", Self.pdf + [9, 9]))
                    try await client.execute(uri: path, method: .post, headers: browser.headers + headers, body: body) {
                        response in
                        #expect(response.status == .notFound, "upload \(path)")
                    }
                }
            }
            #expect(Self.attachmentBlobs(directory).count == 4, "the probes stored nothing")
            // A citizen cannot reach the officer workspace at all.
            try await client.execute(uri: "/can-bo", method: .get, headers: citizen.headers) { response in
                #expect(response.status == .notFound)
            }

            // What was written: the events, notifications, outbox messages and an intact access-log chain.
            let sql = database.sql
            let statuses = try await sql.raw(
                "SELECT e.status FROM dossier_events e JOIN dossiers d ON d.id = e.dossier_id WHERE d.code = \(bind: code) ORDER BY e.id"
            ).all().map { try $0.decode(column: "status", as: Int.self) }
            #expect(statuses == [1, 2, 5, 4, 9, 10])
            let notices = try await sql.raw("SELECT COUNT(*) AS n FROM notifications").first()?.decode(
                column: "n", as: Int.self)
            #expect(notices == 5, "submission and the officer's four changes")
            let messages = try await sql.raw("SELECT COUNT(*) AS n FROM outbox WHERE recipient = 'an@example.vn'")
                .first()?
                .decode(column: "n", as: Int.self)
            #expect(messages == 5)
            let texts = try await sql.raw("SELECT body FROM outbox WHERE channel = 'sms' ORDER BY id").all()
                .map { try $0.decode(column: "body", as: String.self) }
            #expect(texts.count == 5)
            #expect(texts.last?.contains("\(code)") == true && texts.last?.contains("Đã trả kết quả") == true)
            #expect(
                try await AccessLog(database: database).verify()
                    == .intact(
                        records: try await sql.raw("SELECT COUNT(*) AS n FROM access_log").first()?.decode(
                            column: "n", as: Int64.self) ?? -1))
            await database.shutdown()
        }
        // No ID number, name or password in the logs of the whole flow.
        let logs = capture.all.joined(separator: "\n")
        for secret in ["001090001234", "Nguyễn Văn An", "mật khẩu cán bộ", "Nguyễn Thị Bình"] {
            #expect(!logs.contains(secret), "\(secret)")
        }
    }
}
