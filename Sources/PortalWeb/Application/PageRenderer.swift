import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import PortalStore

/// Renders a page model into the shared layout, in the reader's language.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary
    public let localizer: Localizer
    let hotline: Hotline

    /// Loads the templates and the translation catalogue shipped with the module.
    public static func bundled(hotline: String) async throws -> PageRenderer {
        guard let directory = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw LocalizerError.missingCatalogue("Templates")
        }
        return PageRenderer(
            library: try await MustacheLibrary(directory: directory.path), localizer: try Localizer.bundled(),
            hotline: Hotline(display: hotline, dial: hotline.filter { $0.isNumber || $0 == "+" }))
    }

    /// The whole HTML response for a page; `title` is a translation key or a literal title.
    public func render<Page: Sendable>(
        _ template: String, title: String, page: Page, request: Request, context: AppRequestContext,
        status: HTTPResponse.Status = .ok, hasErrors: Bool = false
    ) throws -> Response {
        let strings = localizer.strings(context.language)
        let envelope = Envelope(
            lang: context.language.rawValue,
            t: strings,
            title: (hasErrors ? (strings["error_title_prefix"] ?? "Lỗi:") + " " : "") + (strings[title] ?? title),
            switchLanguage: Self.languageSwitch(request: request, current: context.language, strings: strings),
            hotline: hotline,
            requestID: context.requestID,
            signedInName: context.session?.fullName,
            isApplicant: context.session.map { !AccessPolicy.staffRoles.contains($0.role) } ?? false,
            isOfficer: ["officer", "agency_admin"].contains(context.session?.role ?? ""),
            isAdministrator: ["admin", "agency_admin"].contains(context.session?.role ?? ""),
            page: page
        )
        guard let html = library.render(envelope, withTemplate: template) else {
            throw PageRendererError.missingTemplate(template)
        }
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// The link to the same page in the other language.
    static func languageSwitch(request: Request, current: Language, strings: [String: String]) -> LanguageSwitch {
        let other: Language = current == .vietnamese ? .english : .vietnamese
        var components = URLComponents()
        components.path = Self.pageBehind(request)
        var items = request.formQuery.map { URLQueryItem(name: $0.key, value: $0.value) }
            .filter { $0.name != "lang" }
            .sorted { $0.name < $1.name }
        items.append(URLQueryItem(name: "lang", value: other.rawValue))
        components.queryItems = items
        return LanguageSwitch(
            url: components.string ?? "/?lang=\(other.rawValue)", label: other == .english ? "English" : "Tiếng Việt",
            lang: other.rawValue)
    }

    /// The page a response belongs to, for links back to it. A form posted to an action URL (`/ho-so/{ref}/tep`)
    /// is re-shown on the page it came from (`/ho-so/{ref}`), which is the one a GET can reach; the forms that post
    /// to their own page (registration, sign-in, two-factor) stay on it.
    static func pageBehind(_ request: Request) -> String {
        let path = request.uri.path
        guard request.method != .get, request.method != .head,
            !["/dang-ky", "/dang-nhap", "/xac-thuc-hai-buoc"].contains(path)
        else { return path }
        var segments = path.split(separator: "/")
        if !segments.isEmpty { segments.removeLast() }
        return "/" + segments.joined(separator: "/")
    }

    /// What every template sees: the layout's data and the page's own model under `page`.
    struct Envelope<Page: Sendable>: Sendable {
        let lang: String
        let t: [String: String]
        let title: String
        let switchLanguage: LanguageSwitch
        let hotline: Hotline
        let requestID: String
        let signedInName: String?
        let isApplicant: Bool
        let isOfficer: Bool
        let isAdministrator: Bool
        let page: Page
    }

    /// The support number as shown and as dialled.
    struct Hotline: Sendable {
        let display: String
        let dial: String
    }

    /// The header's language link.
    struct LanguageSwitch: Sendable {
        let url: String
        let label: String
        let lang: String
    }
}

/// Why a page could not be rendered.
public enum PageRendererError: Error, Sendable {
    case missingTemplate(String)
}

/// The response marked not to be kept by browsers or proxies: every page that shows personal data.
func noStore(_ response: Response) -> Response {
    var response = response
    response.headers[.cacheControl] = "no-store"
    return response
}
