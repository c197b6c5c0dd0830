import Foundation
import HTTPTypes
import Hummingbird
import PortalCore
import PortalStore

/// The hotline directory: the public page `/duong-day-nong` (by province and commune), `GET /api/v1/hotlines`, and
/// its editing by administrators at `/quan-tri/duong-day-nong` (an agency administrator edits their agency's).
struct HotlineController: Sendable {
    let hotlines: HotlineStore
    let catalogue: CatalogueStore
    let renderer: PageRenderer
    static let perPage = 50

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/duong-day-nong") { request, context in try await self.page(request, context) }
        router.get("/quan-tri/duong-day-nong") { request, context in try await self.admin(request, context) }
        router.post("/quan-tri/duong-day-nong") { request, context in try await self.save(request, context) }
        router.post("/quan-tri/duong-day-nong/{id}/xoa") { request, context in try await self.delete(request, context) }
    }

    /// A line as pages show it.
    struct Item: Sendable {
        let id: Int64
        let name: String
        let scope: String
        let phones: [Phone]
        let hours: String
        let email: String?
        let address: String?
    }
    struct Phone: Sendable {
        let display: String
        let dial: String
    }

    static func item(_ line: HotlineStore.Hotline, _ localizer: Localizer, _ language: Language) -> Item {
        var scope: [String] = []
        if let agency = line.agencyName ?? line.agencyCode { scope.append(agency) }
        if let commune = line.communeName ?? line.communeCode { scope.append(commune) }
        if let province = line.provinceName ?? line.provinceCode { scope.append(province) }
        return Item(
            id: line.id, name: line.name,
            scope: scope.isEmpty ? localizer.text("hotline_scope_national", language) : scope.joined(separator: ", "),
            phones: line.phones.map { Phone(display: $0, dial: $0.filter { $0.isNumber || $0 == "+" }) },
            hours: line.hours, email: line.email, address: line.address)
    }

    /// A filter value from the query: nil when empty; a 400 naming the field when it is not a known code.
    static func code(_ query: [String: String], _ field: String, pattern: (String) -> Bool) throws -> String? {
        guard let value = query[field]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        guard value.count <= 40, pattern(value) else {
            throw PortalError(.badRequest, code: "invalid_filter", messageKey: "error_invalid_filter", field: field)
        }
        return value
    }

    static func isUnitCode(_ text: String) -> Bool { text.allSatisfy { ("0"..."9").contains($0) } }
    static func isAgencyCode(_ text: String) -> Bool { (try? AgencyIdentifier(validating: text)) != nil }

    struct Page: Sendable {
        let provinces: [FilterOption]
        let communes: [FilterOption]
        let hasCommunes: Bool
        let items: [Item]
        let total: Int
        let pager: Pager
    }

    func page(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let query = request.formQuery
        let province = try Self.code(query, "tinh", pattern: Self.isUnitCode)
        let commune = province == nil ? nil : try Self.code(query, "xa", pattern: Self.isUnitCode)
        let pageNumber = Int(query["trang"] ?? "1") ?? 0
        guard (1...10_000).contains(pageNumber) else {
            throw PortalError(.badRequest, code: "invalid_page", messageKey: "error_invalid_page", field: "trang")
        }
        let (items, total) = try await hotlines.list(
            province: province, commune: commune, limit: Self.perPage, offset: (pageNumber - 1) * Self.perPage)
        let language = context.language
        var communes: [Commune] = []
        if let province { communes = try await catalogue.communes(provinceCode: province) }
        let all = renderer.localizer.text("hotline_all", language)
        let page = Page(
            provinces: [FilterOption(value: "", label: all, selected: province == nil)]
                + (try await catalogue.provinces()).map {
                    FilterOption(value: $0.code, label: $0.name, selected: $0.code == province)
                },
            communes: [FilterOption(value: "", label: all, selected: commune == nil)]
                + communes.map { FilterOption(value: $0.code, label: $0.name, selected: $0.code == commune) },
            hasCommunes: !communes.isEmpty,
            items: items.map { Self.item($0, renderer.localizer, language) }, total: total,
            pager: Pager(
                page: pageNumber, perPage: Self.perPage, total: total, path: "/duong-day-nong",
                query: ["tinh": province ?? "", "xa": commune ?? ""]))
        return try renderer.render("hotlines", title: "hotline_title", page: page, request: request, context: context)
    }

    // MARK: Administration

    struct AdminPage: Sendable {
        struct Values: Sendable {
            let id: String
            let agencyCode: String
            let provinceCode: String
            let communeCode: String
            let name: String
            let phones: String
            let hours: String
            let email: String
            let address: String
        }
        let items: [Item]
        let total: Int
        let pager: Pager
        let values: Values
        let editing: Bool
        let errors: [FieldErrorItem]
        let hasErrors: Bool
        let agencyLocked: Bool
        let notice: String?
        let csrfToken: String
    }

    func admin(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let agency = try context.administratorScope().agency
        var values: [String: String] = [:]
        if let id = request.formQuery["sua"].flatMap(Int64.init), let line = try await hotlines.hotline(id: id),
            agency == nil || line.agencyCode == agency
        {
            values = [
                "id": String(line.id), "agency_code": line.agencyCode ?? "", "province_code": line.provinceCode ?? "",
                "commune_code": line.communeCode ?? "", "name": line.name,
                "phones": line.phones.joined(separator: ", "),
                "hours": line.hours, "email": line.email ?? "", "address": line.address ?? "",
            ]
        }
        return try await renderAdmin(request, context, agency: agency, values: values, errors: [:], status: .ok)
    }

    func renderAdmin(
        _ request: Request, _ context: AppRequestContext, agency: String?, values: [String: String],
        errors: [String: String], status: HTTPResponse.Status
    ) async throws -> Response {
        let query = request.formQuery
        let pageNumber = max(1, min(Int(query["trang"] ?? "1") ?? 1, 10_000))
        let (items, total) = try await hotlines.list(
            agency: agency, limit: Self.perPage, offset: (pageNumber - 1) * Self.perPage)
        let language = context.language
        let page = AdminPage(
            items: items.map { Self.item($0, renderer.localizer, language) }, total: total,
            pager: Pager(
                page: pageNumber, perPage: Self.perPage, total: total, path: "/quan-tri/duong-day-nong", query: [:]),
            values: .init(
                id: values["id"] ?? "", agencyCode: agency ?? values["agency_code"] ?? "",
                provinceCode: values["province_code"] ?? "", communeCode: values["commune_code"] ?? "",
                name: values["name"] ?? "", phones: values["phones"] ?? "", hours: values["hours"] ?? "",
                email: values["email"] ?? "", address: values["address"] ?? ""),
            editing: !(values["id"] ?? "").isEmpty,
            errors: FieldErrorItem.list(errors),
            hasErrors: !errors.isEmpty, agencyLocked: agency != nil,
            notice: query["xong"].flatMap { ["saved", "deleted"].contains($0) ? $0 : nil }.map {
                renderer.localizer.text("hotline_done_\($0)", language)
            }, csrfToken: context.csrfToken)
        return try renderer.render(
            "admin-hotlines", title: "hotline_admin_title", page: page, request: request, context: context,
            status: status, hasErrors: !errors.isEmpty)
    }

    func save(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let agency = try context.administratorScope().agency
        let form = context.form
        func optional(_ name: String) -> String? {
            let value = (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            return value.isEmpty ? nil : value
        }
        let id = optional("id").flatMap(Int64.init)
        if let id {
            guard let line = try await hotlines.hotline(id: id), agency == nil || line.agencyCode == agency else {
                throw PortalError.notFound
            }
        }
        let draft = HotlineStore.Draft(
            agencyCode: agency ?? optional("agency_code"), provinceCode: optional("province_code"),
            communeCode: optional("commune_code"), name: optional("name") ?? "",
            phones: (form["phones"] ?? "").split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\n" })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            hours: optional("hours") ?? "", email: optional("email"), address: optional("address"))
        let problems = try await hotlines.problems(draft)
        guard problems.isEmpty else {
            var values = form
            if let agency { values["agency_code"] = agency }
            return try await renderAdmin(
                request, context, agency: agency, values: values,
                errors: problems.mapValues {
                    renderer.localizer.text("hotline_error_\($0.rawValue)", context.language)
                },
                status: .unprocessableContent)
        }
        try await hotlines.save(draft, id: id)
        return Response.redirect(to: "/quan-tri/duong-day-nong?xong=saved", type: .normal)
    }

    func delete(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let agency = try context.administratorScope().agency
        guard let id = context.parameters.get("id", as: Int64.self), let line = try await hotlines.hotline(id: id),
            agency == nil || line.agencyCode == agency, try await hotlines.delete(id: id)
        else { throw PortalError.notFound }
        return Response.redirect(to: "/quan-tri/duong-day-nong?xong=deleted", type: .normal)
    }
}
