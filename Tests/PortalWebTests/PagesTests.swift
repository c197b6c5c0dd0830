import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PortalStore
import PortalTestSupport
import Testing

@Suite struct PagesTests {
    @Test(arguments: TestEngine.available)
    func theHomePageIsInVietnameseWithTheDemoCatalogue(engine: TestEngine) async throws {
        let demo = try DemoCatalogue.bundled()
        try await TestPortal.withClient(engine) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let html = response.text
                #expect(html.contains("<html lang=\"vi\">"))
                #expect(html.contains("<h1>Bạn cần làm thủ tục gì?</h1>"))
                #expect(html.contains("action=\"/thu-tuc\""))
                #expect(html.contains("action=\"/tra-cuu\""))
                #expect(html.contains("<a href=\"/thu-tuc/1.001193\" lang=\"vi\">Đăng ký khai sinh</a>"))
                #expect(html.contains("href=\"/thu-tuc?nhom=ho-tich\">Hộ tịch</a>"))
                // The headline figure for procedures is the demo catalogue's size.
                #expect(html.contains("<dt>Thủ tục hành chính</dt><dd>\(demo.procedures.count)</dd>"))
                #expect(html.contains("<dt>Tài khoản đã đăng ký</dt><dd>0</dd>"))
                #expect(html.contains("href=\"/?lang=en\""))
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func englishIsChosenByQueryAndRememberedInACookie(engine: TestEngine) async throws {
        try await TestPortal.withClient(engine) { client in
            let cookie = try await client.execute(uri: "/?lang=en", method: .get) { response in
                #expect(response.text.contains("<html lang=\"en\">"))
                #expect(response.text.contains("<h1>What do you need to do?</h1>"))
                #expect(response.text.contains("href=\"/?lang=vi\""))
                let setCookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("lang=") })
                #expect(setCookie.hasPrefix("lang=en"))
                #expect(setCookie.contains("HttpOnly"))
                #expect(setCookie.contains("SameSite=Lax"))
                return "lang=en"
            }
            try await client.execute(uri: "/thu-tuc/1.001193", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.text.contains("<html lang=\"en\">"))
                #expect(response.text.contains("<h1 lang=\"en\">Birth registration</h1>"))
                #expect(response.text.contains("Documents you need"))
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func searchFindsProceduresTypedWithoutAccentsFromAFormSubmission(engine: TestEngine) async throws {
        try await TestPortal.withClient(engine) { client in
            // Browsers send spaces in GET forms as '+'.
            try await client.execute(uri: "/thu-tuc?q=dang+ky+khai+sinh", method: .get) { response in
                #expect(response.status == .ok)
                let html = response.text
                #expect(html.contains("value=\"dang ky khai sinh\""))
                let first = try #require(html.range(of: "class=\"result-title\""))
                // The words typed are highlighted in the name, accents or not.
                #expect(
                    html[first.upperBound...].hasPrefix(
                        "><a href=\"/thu-tuc/1.001193\" lang=\"vi\"><mark>Đăng</mark> <mark>ký</mark> <mark>khai</mark> <mark>sinh</mark></a>"
                    ))
            }
            try await client.execute(uri: "/thu-tuc?q=%C4%90%C4%83ng%20k%C3%BD%20k%E1%BA%BFt%20h%C3%B4n", method: .get)
            {
                #expect($0.text.contains("/thu-tuc/1.000894"))
            }
            try await client.execute(uri: "/thu-tuc?q=khong+co+thu+tuc+nay", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("Không tìm thấy thủ tục phù hợp"))
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func browsingIsPaginatedAndBadPageNumbersAreRefused(engine: TestEngine) async throws {
        let total = try DemoCatalogue.bundled().procedures.count
        try await TestPortal.withClient(engine) { client in
            try await client.execute(uri: "/thu-tuc", method: .get) { response in
                #expect(response.text.contains("Có \(total) thủ tục"))
                #expect(response.text.contains("href=\"/thu-tuc?trang=2\" rel=\"next\""))
                #expect(response.text.components(separatedBy: "class=\"result\"").count - 1 == min(total, 20))
            }
            try await client.execute(uri: "/thu-tuc?trang=2", method: .get) { response in
                #expect(response.text.components(separatedBy: "class=\"result\"").count - 1 == total - 20)
                #expect(response.text.contains("rel=\"prev\""))
            }
            try await client.execute(uri: "/thu-tuc?trang=abc", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("Số trang phải là số nguyên từ 1 trở lên"))
            }
            try await client.execute(uri: "/thu-tuc?nhom=khong-ton-tai", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func aProcedurePageShowsWhatACitizenNeeds(engine: TestEngine) async throws {
        try await TestPortal.withClient(engine) { client in
            try await client.execute(uri: "/thu-tuc/1.004222", method: .get) { response in
                #expect(response.status == .ok)
                let html = response.text
                #expect(html.contains("<h1 lang=\"vi\">Đăng ký thường trú</h1>"))
                for heading in ["Giấy tờ cần nộp", "Các bước thực hiện", "Căn cứ pháp lý", "Thời hạn giải quyết"] {
                    #expect(html.contains(heading), "missing \(heading)")
                }
                #expect(html.contains("<title>Đăng ký thường trú – Cổng Dịch vụ công</title>"))
            }
            try await client.execute(uri: "/thu-tuc/9.999999", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.text.contains("<h1>Không tìm thấy trang</h1>"))
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func lookupExplainsABadCodeAndAnUnknownOne(engine: TestEngine) async throws {
        try await TestPortal.withClient(engine) { client in
            try await client.execute(uri: "/tra-cuu", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.text.contains("<h1>Tra cứu hồ sơ</h1>"))
            }
            try await client.execute(uri: "/tra-cuu?code=%3Cscript%3E", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.text.contains("<title>Lỗi: Tra cứu hồ sơ – Cổng Dịch vụ công</title>"))
                #expect(response.text.contains("Có lỗi cần sửa"))
                #expect(response.text.contains("href=\"#code\""))
                #expect(response.text.contains("value=\"&lt;script&gt;\""))
                #expect(!response.text.contains("<script>"))
            }
            try await client.execute(uri: "/tra-cuu?code=000.00.53.H48-220921-0099", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.text.contains("Không tìm thấy hồ sơ"))
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func unknownPagesAreHTMLAndUnknownAPIRoutesAreJSON(engine: TestEngine) async throws {
        try await TestPortal.withClient(engine) { client in
            try await client.execute(uri: "/khong-co-trang-nay", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                #expect(response.text.contains("<h1>Không tìm thấy trang</h1>"))
                let requestID = try #require(response.headers[HTTPField.Name("X-Request-Id")!])
                #expect(response.text.contains("<code>\(requestID)</code>"))
            }
            try await client.execute(uri: "/api/v1/khong-co?lang=en", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                struct Body: Decodable {
                    struct Detail: Decodable {
                        let code: String
                        let message: String
                        let field: String?
                        let requestId: String
                    }
                    let error: Detail
                }
                let body = try JSONDecoder().decode(Body.self, from: Data(response.text.utf8))
                #expect(body.error.code == "not_found")
                #expect(body.error.message == "Page not found")
                #expect(body.error.field == nil)
                #expect(body.error.requestId == response.headers[HTTPField.Name("X-Request-Id")!])
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func everyResponseCarriesTheSecurityHeaders(engine: TestEngine) async throws {
        try await TestPortal.withClient(engine) { client in
            for uri in ["/", "/healthz", "/khong-co", "/static/site.css"] {
                try await client.execute(uri: uri, method: .get) { response in
                    let csp = response.headers[.contentSecurityPolicy] ?? ""
                    #expect(csp.contains("frame-ancestors 'none'"), "\(uri)")
                    #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "\(uri)")
                    #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
                    #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin", "\(uri)")
                    #expect(response.headers[.server] == nil, "\(uri)")
                }
            }
        }
    }
}

@Suite struct AgencyPagesTests {
    @Test(arguments: TestEngine.available)
    func theDirectoryFindsAnAgencyAndItsPageListsItsProcedures(engine: TestEngine) async throws {
        try await TestPortal.withClient(engine) { client in
            try await client.execute(uri: "/co-quan?q=tu+phap", method: .get) { response in
                #expect(response.status == .ok)
                let html = response.text
                #expect(html.contains("<a href=\"/co-quan/000.00.00.G15\">Bộ Tư pháp</a>"))
                #expect(!html.contains("Bộ Công an"))
                #expect(html.contains("<th scope=\"col\">"))
            }
            try await client.execute(uri: "/co-quan/000.00.00.G15", method: .get) { response in
                #expect(response.status == .ok)
                let html = response.text
                #expect(html.contains("<h1>Bộ Tư pháp</h1>"))
                #expect(html.contains("<a href=\"/thu-tuc/1.001193\" lang=\"vi\">Đăng ký khai sinh</a>"))
                #expect(html.contains("href=\"/thu-tuc?co-quan=000.00.00.G15\""))
            }
            try await client.execute(uri: "/thu-tuc?co-quan=G15", method: .get) { response in
                #expect(response.text.contains("/thu-tuc/1.001193"))
                #expect(!response.text.contains("/thu-tuc/1.004222"))  // residence is the police's, not justice's
            }
            try await client.execute(uri: "/co-quan/000.00.00.X99", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
