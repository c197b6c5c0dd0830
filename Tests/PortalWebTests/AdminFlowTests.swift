import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortalStore
import PortalTestSupport
import PortalWeb
import Testing

@Suite struct AdminFlowTests {
    static let password = "mật khẩu quản trị"

    @Test(arguments: TestEngine.available)
    func administratorsManageStaffAndFormsAgencyAdministratorsOnlyTheirOfficers(engine: TestEngine) async throws {
        try await TestPortal.withClientAndStorage(engine) { client, url, _ in
            let database = try await Database.open(url, logger: TestDatabases.quietLogger)
            try await AdministratorAccounts(database: database, cost: 4).create(
                email: "admin@example.gov.vn", password: Self.password, fullName: "Quản Trị")
            await database.shutdown()
            let admin = try await DossierFlowTests.officerSignIn(
                client, email: "admin@example.gov.vn", password: Self.password, probe: "/quan-tri")
            func post(_ browser: DossierFlowTests.Browser, _ path: String, _ fields: [(String, String)]) async throws
                -> (HTTPResponse.Status, String, String?)
            {
                try await client.execute(
                    uri: path, method: .post, headers: browser.formHeaders,
                    body: AccountFlowTests.body(fields + [("csrf_token", browser.token)])
                ) { ($0.status, $0.text, $0.headers[.location]) }
            }
            func create(_ browser: DossierFlowTests.Browser, role: String, email: String, agency: String) async throws
                -> (HTTPResponse.Status, String, String?)
            {
                try await post(
                    browser, "/quan-tri/tai-khoan",
                    [
                        ("role", role), ("email", email), ("full_name", "Cán Bộ \(email.prefix(2))"),
                        ("agency_code", agency), ("password", Self.password),
                    ])
            }
            let unknownAgency = try await create(
                admin, role: "officer", email: "o1@example.gov.vn", agency: "999.99.99.Z99")
            #expect(unknownAgency.0 == .unprocessableContent)
            #expect(unknownAgency.1.contains("Nhập mã của một cơ quan có trong danh mục"))
            #expect(
                try await create(admin, role: "officer", email: "o1@example.gov.vn", agency: "000.00.61.H29").2
                    == "/quan-tri?xong=created")
            #expect(
                try await create(admin, role: "agency_admin", email: "aa@example.gov.vn", agency: "000.00.61.H29").2
                    == "/quan-tri?xong=created")
            #expect(
                try await create(admin, role: "officer", email: "o2@example.gov.vn", agency: "000.00.62.H29").2
                    == "/quan-tri?xong=created")
            let listing = try await client.execute(uri: "/quan-tri", method: .get, headers: admin.headers) { $0.text }
            #expect(listing.contains("o1@example.gov.vn") && listing.contains("o2@example.gov.vn"))
            func id(of email: String, in text: String) throws -> String {
                let row = try #require(text.components(separatedBy: "<tr>").first { $0.contains(email) })
                return try DossierFlowTests.firstMatch(#"/quan-tri/tai-khoan/(\d+)/"#, in: row)
            }

            // A lock ends the officer's session and stops sign-in; an unlock lets them back.
            let officer = try await DossierFlowTests.officerSignIn(
                client, email: "o1@example.gov.vn", password: Self.password)
            let officerID = try id(of: "o1@example.gov.vn", in: listing)
            #expect(try await post(admin, "/quan-tri/tai-khoan/\(officerID)/khoa", []).2 == "/quan-tri?xong=locked")
            try await client.execute(uri: "/can-bo", method: .get, headers: officer.headers) {
                #expect($0.status == .seeOther)
                #expect($0.headers[.location]?.hasPrefix("/dang-nhap") == true)
            }
            let (cookie, token) = try await AccountFlowTests.anonymousToken(client)
            try await client.execute(
                uri: "/dang-nhap", method: .post, headers: AccountFlowTests.form + [.cookie: cookie],
                body: AccountFlowTests.body([
                    ("login", "o1@example.gov.vn"), ("password", Self.password), ("csrf_token", token),
                ])
            ) {
                #expect($0.status == .forbidden)
                #expect($0.text.contains("Tài khoản đang bị khóa"))
            }
            #expect(
                try await post(admin, "/quan-tri/tai-khoan/\(officerID)/mo-khoa", []).2 == "/quan-tri?xong=unlocked")
            // After a two-factor reset the officer enrols again (the helper checks the QR code is shown).
            #expect(
                try await post(admin, "/quan-tri/tai-khoan/\(officerID)/dat-lai-hai-buoc", []).2
                    == "/quan-tri?xong=reset")
            _ = try await DossierFlowTests.officerSignIn(client, email: "o1@example.gov.vn", password: Self.password)

            // The agency administrator sees and manages only their agency's officers.
            let agencyAdmin = try await DossierFlowTests.officerSignIn(
                client, email: "aa@example.gov.vn", password: Self.password, probe: "/quan-tri")
            let own = try await client.execute(uri: "/quan-tri", method: .get, headers: agencyAdmin.headers) { $0.text }
            #expect(own.contains("o1@example.gov.vn") && !own.contains("o2@example.gov.vn"))
            #expect(!own.contains("admin@example.gov.vn"))
            let otherID = try id(of: "o2@example.gov.vn", in: listing)
            #expect(try await post(agencyAdmin, "/quan-tri/tai-khoan/\(otherID)/khoa", []).0 == .notFound)
            #expect(
                try await create(agencyAdmin, role: "admin", email: "x@example.gov.vn", agency: "").0
                    == .unprocessableContent)
            #expect(
                try await create(agencyAdmin, role: "officer", email: "o3@example.gov.vn", agency: "000.00.62.H29").2
                    == "/quan-tri?xong=created")
            let afterCreate = try await client.execute(uri: "/quan-tri?q=o3@", method: .get, headers: admin.headers) {
                $0.text
            }
            #expect(afterCreate.contains("000.00.61.H29"), "the agency administrator's own agency, whatever was typed")
            try await client.execute(uri: "/quan-tri/bieu-mau", method: .get, headers: agencyAdmin.headers) {
                #expect($0.status == .notFound)
            }

            // Forms: shown as JSON, checked, saved, and used by the next draft.
            let json = try await client.execute(
                uri: "/quan-tri/bieu-mau?thu_tuc=1.001193", method: .get, headers: admin.headers
            ) { response in
                #expect(response.status == .ok)
                return try DossierFlowTests.firstMatch(#"(?s)<textarea[^>]*>(.*)</textarea>"#, in: response.text)
            }
            #expect(json.contains("request_details"))
            let bad = try await post(
                admin, "/quan-tri/bieu-mau", [("procedure_code", "1.001193"), ("schema", "{not json")])
            #expect(bad.0 == .unprocessableContent && bad.1.contains("không phải JSON"))
            let schema = """
                {"fields":[{"name":"child_name","labelVi":"Họ tên trẻ","labelEn":"Child's name","kind":"text","required":true,"maxLength":100}],
                 "slots":[{"index":0,"name":"Tờ khai","required":true,"maximumFiles":1},{"index":99,"name":"X","required":false,"maximumFiles":1}]}
                """
            let wrongSlot = try await post(
                admin, "/quan-tri/bieu-mau", [("procedure_code", "1.001193"), ("schema", schema)])
            #expect(
                wrongSlot.0 == .unprocessableContent && wrongSlot.1.contains("Ô tải lên 99 không ứng với giấy tờ nào"))
            let fixed = schema.replacingOccurrences(
                of: ",{\"index\":99,\"name\":\"X\",\"required\":false,\"maximumFiles\":1}", with: "")
            #expect(
                try await post(admin, "/quan-tri/bieu-mau", [("procedure_code", "1.001193"), ("schema", fixed)]).0
                    == .seeOther)
            let citizen = try await DossierFlowTests.register(client, fields: AccountFlowTests.citizen)
            let ref = try await client.execute(
                uri: "/ho-so", method: .post, headers: citizen.formHeaders,
                body: AccountFlowTests.body([
                    ("procedure_code", "1.001193"), ("agency_code", "000.00.61.H29"), ("csrf_token", citizen.token),
                ])
            ) { String(try #require($0.headers[.location]).dropFirst("/ho-so/".count)) }
            try await client.execute(uri: "/ho-so/\(ref)", method: .get, headers: citizen.headers) {
                #expect($0.text.contains("Họ tên trẻ"))
                #expect(!$0.text.contains("Nội dung đề nghị"))
            }
            // The new form is what submission checks: its field, its one required slot with at most one file.
            let (upload, uploadBody) = DossierFlowTests.multipart(
                [("csrf_token", citizen.token), ("slot", "0")], file: ("to-khai.pdf", DossierFlowTests.pdf))
            try await client.execute(
                uri: "/ho-so/\(ref)/tep", method: .post, headers: citizen.headers + upload, body: uploadBody
            ) { #expect($0.status == .seeOther) }
            let (second, secondBody) = DossierFlowTests.multipart(
                [("csrf_token", citizen.token), ("slot", "0")], file: ("to-khai-2.pdf", DossierFlowTests.pdf + [1]))
            try await client.execute(
                uri: "/ho-so/\(ref)/tep", method: .post, headers: citizen.headers + second, body: secondBody
            ) {
                #expect($0.status == .unprocessableContent)
                #expect($0.text.contains("Ô này đã đủ số tệp cho phép"))
            }
            #expect(try await post(citizen, "/ho-so/\(ref)/nop", []).0 == .unprocessableContent)
            #expect(try await post(citizen, "/ho-so/\(ref)/luu", [("child_name", "Nguyễn Thị Bình")]).0 == .seeOther)
            #expect(try await post(citizen, "/ho-so/\(ref)/nop", []).2 == "/ho-so/\(ref)/bien-nhan")
            let code = try await client.execute(uri: "/ho-so/\(ref)/bien-nhan", method: .get, headers: citizen.headers)
            {
                try DossierFlowTests.firstMatch(#"class="dossier-code">([^<]+)<"#, in: $0.text)
            }
            // Administrators read any dossier (read-only, recorded); an agency administrator those of their agency.
            for browser in [admin, agencyAdmin] {
                try await client.execute(uri: "/quan-tri/ho-so?code=\(code)", method: .get, headers: browser.headers) {
                    #expect($0.status == .ok)
                    #expect($0.text.contains("Nguyễn Thị Bình"))
                    #expect(!$0.text.contains("/xu-ly"), "no actions")
                }
            }
            try await client.execute(
                uri: "/quan-tri/ho-so?code=000.00.61.H29-250101-0042", method: .get, headers: admin.headers
            ) { #expect($0.status == .notFound) }
            // Roles and agencies change, audited; an unknown agency is refused.
            let otherRow = try id(of: "o2@example.gov.vn", in: listing)
            let unknown = try await post(
                admin, "/quan-tri/tai-khoan/\(otherRow)/vai-tro", [("role", "officer"), ("agency_code", "nope")])
            #expect(unknown.0 == .unprocessableContent)
            #expect(
                try await post(
                    admin, "/quan-tri/tai-khoan/\(otherRow)/vai-tro",
                    [("role", "agency_admin"), ("agency_code", "000.00.61.H29")]
                ).2 == "/quan-tri?xong=role")
            #expect(
                try await post(
                    agencyAdmin, "/quan-tri/tai-khoan/\(officerID)/vai-tro", [("role", "admin"), ("agency_code", "")]
                ).0 == .notFound, "only administrators change roles")
            let afterRole = try await client.execute(uri: "/quan-tri?q=o2@", method: .get, headers: admin.headers) {
                $0.text
            }
            #expect(afterRole.contains("Quản trị cơ quan"))

            // Citizens never reach administration.
            try await client.execute(uri: "/quan-tri", method: .get, headers: citizen.headers) {
                #expect($0.status == .notFound)
            }
        }
    }
}
