import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortalCore
import PortalStore
import PortalTestSupport
import PortalWeb
import SQLKit
import Testing

/// Feedback and petitions over HTTP on each engine: mistakes named by field, a robot's submission dropped, routing
/// to the procedure's agency (and to the portal's desk when no agency is concerned), the officer's answer reaching
/// the sender, publication without personal data, search without accents, and the rate limit.
@Suite struct FeedbackTests {
    static func count(_ database: Database, _ sql: String) async throws -> Int {
        try await database.sql.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: sql)").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    @Test(arguments: TestEngine.available)
    func feedbackIsRoutedAnsweredAndPublishedWithoutPersonalData(engine: TestEngine) async throws {
        try await TestPortal.withClientAndStorage(engine) { client, url, _ in
            let (cookie, token) = try await AccountFlowTests.anonymousToken(client)
            func send(_ fields: [(String, String)]) async throws -> (HTTPResponse.Status, String, HTTPFields) {
                try await client.execute(
                    uri: "/phan-anh-kien-nghi/gui", method: .post, headers: AccountFlowTests.form + [.cookie: cookie],
                    body: AccountFlowTests.body(fields + [("csrf_token", token)])
                ) { ($0.status, $0.text, $0.headers) }
            }
            let question =
                "Tôi là Phạm Thị Hoa, số định danh 001190012345, điện thoại 0987 654 321. Đăng ký khai sinh cho con "
                + "ở nơi tạm trú thì cần giấy tờ gì?"
            let good: [(String, String)] = [
                ("sender_name", "Phạm Thị Hoa"), ("sender_phone", "0987 654 321"), ("sender_email", "hoa@example.vn"),
                ("topic", "procedure"), ("procedure_code", "1.001193"),
                ("title", "Khai sinh cho con <script>alert(1)</script> ở nơi tạm trú"), ("body", question),
            ]
            let database = try await Database.open(url, logger: TestDatabases.quietLogger)
            do {
                // 1. Mistakes are named by field; nothing is stored.
                let (bad, page, _) = try await send([
                    ("sender_name", "H"), ("topic", "procedure"), ("procedure_code", "9.999999"), ("title", "Hỏi"),
                    ("body", "ngắn"),
                ])
                #expect(bad == .unprocessableContent)
                for field in ["sender_name", "sender_phone", "procedure_code", "title", "body"] {
                    #expect(page.contains("href=\"#\(field)\""), "\(field) not named")
                }
                // 2. A robot fills in the hidden field: thanked, nothing stored.
                let (robot, _, robotHeaders) = try await send(good + [("website", "http://spam.example")])
                #expect(robot == .seeOther && robotHeaders[.location] == "/phan-anh-kien-nghi?da-gui=1")
                #expect(try await Self.count(database, "feedback") == 0)

                // 3. Sent without an account: routed to the procedure's first implementing agency.
                let (sent, _, sentHeaders) = try await send(good)
                #expect(sent == .seeOther)
                let statusURL = try #require(sentHeaders[.location])
                #expect(statusURL.hasPrefix("/phan-anh-kien-nghi/theo-doi/"))
                let agencies = try #require(
                    try await database.sql.raw("SELECT agency_codes FROM procedures WHERE code = '1.001193'").first()?
                        .decode(column: "agency_codes", as: String.self))
                let agency = try #require(agencies.split(separator: ",").first.map(String.init))
                let routed = try #require(
                    try await database.sql.raw("SELECT agency_code FROM feedback").first()?.decode(
                        column: "agency_code", as: String?.self))
                #expect(routed == agency)
                try await client.execute(uri: statusURL, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.cacheControl] == "no-store")
                    #expect(response.text.contains("Chờ trả lời"))
                    #expect(response.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
                    #expect(!response.text.contains("<script>alert(1)"))
                }
                // The sender is told by SMS and e-mail.
                #expect(try await Self.count(database, "outbox WHERE recipient = '0987654321'") == 1)
                #expect(try await Self.count(database, "outbox WHERE recipient = 'hoa@example.vn'") == 1)

                // 4. Feedback about something else goes to the portal's desk.
                let (other, _, _) = try await send([
                    ("sender_name", "Lê Văn Nam"), ("sender_email", "nam@example.vn"), ("topic", "other"),
                    ("title", "Góp ý giao diện cổng"), ("body", "Trang tra cứu nên có nút in kết quả."),
                ])
                #expect(other == .seeOther)
                #expect(try await Self.count(database, "feedback WHERE agency_code IS NULL") == 1)

                // The agency's officer sees the first in the queue; another agency's officer does not.
                let staff = AdministratorAccounts(database: database, cost: 4)
                try await staff.createStaff(
                    role: .officer, email: "canbo@coquan.gov.vn", password: "mật khẩu cán bộ", fullName: "Cán Bộ",
                    agencyCode: agency)
                let elsewhereCode = agency == "000.00.61.H24" ? "000.00.61.H29" : "000.00.61.H24"
                try await staff.createStaff(
                    role: .officer, email: "canbo@noikhac.gov.vn", password: "mật khẩu cán bộ", fullName: "Cán Bộ",
                    agencyCode: elsewhereCode)
                let elsewhere = try await DossierFlowTests.officerSignIn(
                    client, email: "canbo@noikhac.gov.vn", password: "mật khẩu cán bộ")
                try await client.execute(uri: "/can-bo/phan-anh", method: .get, headers: elsewhere.headers) {
                    #expect($0.status == .ok && !$0.text.contains("nơi tạm trú"))
                }
                let officer = try await DossierFlowTests.officerSignIn(
                    client, email: "canbo@coquan.gov.vn", password: "mật khẩu cán bộ")
                let itemURL = try await client.execute(
                    uri: "/can-bo/phan-anh", method: .get, headers: officer.headers
                ) { response in
                    #expect(response.text.contains("nơi tạm trú") && !response.text.contains("Góp ý giao diện"))
                    return "/can-bo/phan-anh/"
                        + (try DossierFlowTests.firstMatch(#"href="/can-bo/phan-anh/([0-9]+)""#, in: response.text))
                }
                try await client.execute(uri: itemURL, method: .get, headers: elsewhere.headers) {
                    #expect($0.status == .notFound)
                }
                func act(_ path: String, _ fields: [(String, String)]) async throws -> (HTTPResponse.Status, String) {
                    try await client.execute(
                        uri: itemURL + path, method: .post, headers: officer.formHeaders,
                        body: AccountFlowTests.body(fields + [("csrf_token", officer.token)])
                    ) { ($0.status, $0.text) }
                }
                // Publishing before answering is refused.
                let (early, _) = try await act(
                    "/cong-khai",
                    [
                        ("published_title", "Khai sinh ở nơi tạm trú"), ("published_question", question),
                        ("published_answer", "Chưa có"),
                    ])
                #expect(early == .conflict)
                let (shortAnswer, shortPage) = try await act("/tra-loi", [("answer", "Có")])
                #expect(shortAnswer == .unprocessableContent && shortPage.contains("href=\"#answer\""))
                let answer =
                    "Chào chị Phạm Thị Hoa: chị nộp tờ khai và giấy chứng sinh tại UBND xã nơi tạm trú; "
                    + "liên hệ 0243 123 4567 hoặc hotro@coquan.gov.vn nếu cần."
                let (answered, _) = try await act("/tra-loi", [("answer", answer)])
                #expect(answered == .seeOther)
                try await client.execute(uri: statusURL, method: .get) { response in
                    #expect(response.text.contains("Đã trả lời") && response.text.contains("giấy chứng sinh"))
                }
                #expect(try await Self.count(database, "outbox WHERE recipient = '0987654321'") == 2)
                #expect(try await Self.count(database, "outbox WHERE recipient = 'hoa@example.vn'") == 2)

                // The page proposes texts already without personal data.
                try await client.execute(uri: itemURL, method: .get, headers: officer.headers) { response in
                    let start = try #require(response.text.range(of: "/cong-khai"))
                    let form = String(response.text[start.lowerBound...])
                    #expect(!form.contains("001190012345") && !form.contains("0987 654 321"))
                    #expect(!form.contains("Phạm Thị Hoa") && form.contains("***"))
                }
                // Whatever the officer leaves in, personal data does not reach the public.
                let (published, _) = try await act(
                    "/cong-khai",
                    [
                        ("published_title", "Đăng ký khai sinh cho con ở nơi tạm trú"),
                        ("published_question", question), ("published_answer", answer),
                    ])
                #expect(published == .seeOther)
                let publicURL = try await client.execute(uri: "/phan-anh-kien-nghi?q=dang+ky+khai+sinh", method: .get) {
                    response in
                    #expect(response.status == .ok)
                    #expect(response.text.contains("Đăng ký khai sinh cho con ở nơi tạm trú"))
                    return "/phan-anh-kien-nghi/"
                        + (try DossierFlowTests.firstMatch(#"href="/phan-anh-kien-nghi/([0-9]+)""#, in: response.text))
                }
                try await client.execute(uri: publicURL, method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.text.contains("giấy chứng sinh") && response.text.contains("UBND xã"))
                    for personal in [
                        "Phạm Thị Hoa", "PHẠM THỊ HOA", "001190012345", "0987 654 321", "0243 123 4567",
                        "hotro@coquan.gov.vn", "hoa@example.vn",
                    ] {
                        #expect(!response.text.contains(personal), "\(personal) published")
                    }
                }
                // The open data finds it without accents and lists nothing unpublished.
                try await client.execute(uri: "/api/v1/feedback?q=tam+tru&per_page=5", method: .get) { response in
                    #expect(response.status == .ok)
                    let body = try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any]
                    let items = try #require(body?["items"] as? [[String: Any]])
                    #expect(items.count == 1 && body?["total"] as? Int == 1)
                    #expect(items.first?["title"] as? String == "Đăng ký khai sinh cho con ở nơi tạm trú")
                    #expect(items.first?["url"] as? String == publicURL)
                    #expect(!response.text.contains("0987") && !response.text.contains("Phạm"))
                }
                // While a title is typed, a word's start is enough.
                try await client.execute(uri: "/api/v1/feedback?q=Khai+si&per_page=5", method: .get) { response in
                    #expect(response.text.contains("\"total\":1") && response.text.contains(publicURL))
                }
                try await client.execute(uri: "/api/v1/feedback?q=nut+in", method: .get) { response in
                    #expect(response.text.contains("\"total\":0"))
                }
                try await client.execute(uri: "/api/v1/feedback?per_page=0", method: .get) { response in
                    #expect(response.status == .badRequest && response.text.contains("\"field\":\"per_page\""))
                }

                // The portal's administrators answer what no agency was concerned with.
                try await staff.createStaff(
                    role: .admin, email: "quantri@cong.gov.vn", password: "mật khẩu quản trị", fullName: "Quản Trị",
                    agencyCode: nil)
                let admin = try await DossierFlowTests.officerSignIn(
                    client, email: "quantri@cong.gov.vn", password: "mật khẩu quản trị", probe: "/quan-tri")
                try await client.execute(uri: "/quan-tri/phan-anh?trang-thai=new", method: .get, headers: admin.headers)
                { response in
                    #expect(response.status == .ok)
                    #expect(response.text.contains("Góp ý giao diện cổng") && !response.text.contains("nơi tạm trú"))
                }

                // 5. The fifth submission from one address in a minute is accepted, the sixth is refused.
                let (fifth, _, _) = try await send(good)
                #expect(fifth == .seeOther)
                let (sixth, limited, headers) = try await send(good)
                #expect(sixth == .tooManyRequests)
                #expect(headers[.retryAfter] != nil && limited.contains("<html"))
                #expect(try await Self.count(database, "feedback") == 3)
            } catch {
                await database.shutdown()
                throw error
            }
            await database.shutdown()
        }
    }

    @Test func personalDataIsRemovedBeforePublication() {
        let text = PersonalDataRedaction.redact(
            "Ông NGUYEN VAN AN (ĐT: +84 912.345.678, mã số thuế 0101234567-001, email an.nv@mail.vn) hỏi về hồ sơ "
                + "000.00.61.H29-261129-0001 nộp ngày 29/11/2026.",
            names: ["Nguyễn Văn An"])
        #expect(
            text
                == "Ông *** (ĐT: ***, mã số thuế ***, email ***) hỏi về hồ sơ 000.00.61.H*** nộp ngày 29/11/2026.")
        // A name inside a longer word is left alone.
        #expect(PersonalDataRedaction.redact("Anh An ở Xã An Khánh", names: ["An"]) == "Anh *** ở Xã *** Khánh")
    }
}
