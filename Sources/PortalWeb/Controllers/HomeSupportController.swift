import Foundation
import HTTPTypes
import Hummingbird
import PortalCore
import PortalStore

/// Home support: the request form `/ho-tro-tai-nha` (for oneself or on someone's behalf, signed in or not), the
/// requester's status page, and the officers' queue for their province at `/can-bo/ho-tro`.
struct HomeSupportController: Sendable {
    let support: HomeSupport
    let catalogue: CatalogueStore
    let holidays: HolidayStore
    let renderer: PageRenderer
    let limiter: RateLimiter

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/ho-tro-tai-nha") { request, context in try await self.form(request, context) }
        router.post("/ho-tro-tai-nha") { request, context in try await self.submit(request, context) }
        router.get("/ho-tro-tai-nha/{ref}") { request, context in try await self.status(request, context) }
        router.get("/can-bo/ho-tro") { request, context in try await self.queue(request, context) }
        router.get("/can-bo/ho-tro/{id}") { request, context in try await self.item(request, context) }
        router.post("/can-bo/ho-tro/{id}/lich") { request, context in try await self.schedule(request, context) }
        router.post("/can-bo/ho-tro/{id}/ket-qua") { request, context in try await self.complete(request, context) }
    }

    func text(_ key: String, _ context: AppRequestContext) -> String { renderer.localizer.text(key, context.language) }

    // MARK: The requester

    struct FormPage: Sendable {
        struct Values: Sendable {
            let requesterName: String
            let requesterPhone: String
            let requesterEmail: String
            let onBehalfOf: String
            let address: String
            let procedureCode: String
            let reason: String
        }
        let values: Values
        let provinces: [FilterOption]
        let urgencies: [FilterOption]
        let errors: [FieldErrorItem]
        let hasErrors: Bool
        let csrfToken: String
    }

    func renderForm(
        _ request: Request, _ context: AppRequestContext, values: [String: String], errors: [String: String],
        status: HTTPResponse.Status
    ) async throws -> Response {
        let page = FormPage(
            values: .init(
                requesterName: values["requester_name"] ?? context.session?.fullName ?? "",
                requesterPhone: values["requester_phone"] ?? "", requesterEmail: values["requester_email"] ?? "",
                onBehalfOf: values["on_behalf_of"] ?? "", address: values["address"] ?? "",
                procedureCode: values["procedure_code"] ?? "", reason: values["reason"] ?? ""),
            provinces: [FilterOption(value: "", label: text("home_support_choose", context), selected: false)]
                + (try await catalogue.provinces()).map {
                    FilterOption(value: $0.code, label: $0.name, selected: $0.code == values["province_code"])
                },
            urgencies: HomeSupport.Urgency.allCases.map {
                FilterOption(
                    value: $0.rawValue, label: text("home_support_urgency_\($0.rawValue)", context),
                    selected: $0.rawValue == (values["urgency"] ?? "normal"))
            },
            errors: FieldErrorItem.list(errors),
            hasErrors: !errors.isEmpty, csrfToken: context.csrfToken)
        return noStore(
            try renderer.render(
                "home-support-form", title: "home_support_title", page: page, request: request, context: context,
                status: status, hasErrors: !errors.isEmpty))
    }

    func form(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await renderForm(request, context, values: [:], errors: [:], status: .ok)
    }

    func submit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await limiter.enforce(context.remoteAddress ?? "unknown")
        guard var values = PublicForm.values(context) else {
            return Response.redirect(to: "/ho-tro-tai-nha?da-gui=1", type: .normal)
        }
        var errors: [String: String] = [:]
        func check(_ field: String, _ valid: Bool) {
            if !valid { errors[field] = text("home_support_error_\(field)", context) }
        }
        let name = values["requester_name"] ?? ""
        check("requester_name", (2...100).contains(name.count))
        let phone = AccountController.normalizedPhone(values["requester_phone"] ?? "")
        check("requester_phone", phone != nil)
        let email = (values["requester_email"] ?? "").isEmpty ? nil : values["requester_email"]
        check("requester_email", email.map { $0.count <= 200 && $0.contains("@") && !$0.contains(" ") } ?? true)
        let behalf = (values["on_behalf_of"] ?? "").isEmpty ? nil : values["on_behalf_of"]
        check("on_behalf_of", (behalf?.count ?? 0) <= 100)
        let province = values["province_code"] ?? ""
        let knownProvince = province.isEmpty ? nil : try await catalogue.province(code: province)
        check("province_code", knownProvince != nil)
        let address = values["address"] ?? ""
        check("address", (5...300).contains(address.count))
        let procedureCode = (values["procedure_code"] ?? "").isEmpty ? nil : values["procedure_code"]
        if let procedureCode {
            let known = procedureCode.count <= 40 ? try await catalogue.procedure(code: procedureCode) : nil
            check("procedure_code", known != nil)
        }
        let reason = values["reason"] ?? ""
        check("reason", (10...2000).contains(reason.count))
        let urgency = HomeSupport.Urgency(rawValue: values["urgency"] ?? "")
        check("urgency", urgency != nil)
        guard errors.isEmpty, let phone, let urgency else {
            values.removeValue(forKey: "csrf_token")
            return try await renderForm(request, context, values: values, errors: errors, status: .unprocessableContent)
        }
        let ref = try await support.submit(
            .init(
                accountID: context.session?.accountID, requesterName: name, requesterPhone: phone,
                requesterEmail: email, onBehalfOf: behalf, provinceCode: province, address: address,
                procedureCode: procedureCode, reason: reason, urgency: urgency))
        return Response.redirect(to: "/ho-tro-tai-nha/\(ref)", type: .normal)
    }

    struct View: Sendable {
        let id: Int64
        let url: String
        let requesterName: String
        let requesterPhone: String
        let onBehalfOf: String?
        let place: String
        let procedure: String?
        let reason: String
        let urgency: String
        let urgent: Bool
        let state: String
        let tone: String
        let visit: String?
        let outcome: String?
        let dossierCode: String?
        let createdAt: String
        let open: Bool
    }

    func view(_ request: HomeSupport.Request, _ context: AppRequestContext) -> View {
        View(
            id: request.id, url: "/can-bo/ho-tro/\(request.id)", requesterName: request.requesterName,
            requesterPhone: request.requesterPhone, onBehalfOf: request.onBehalfOf,
            place: "\(request.address), \(request.provinceName)",
            procedure: request.procedureCode.map { "\(request.procedureName ?? $0) (\($0))" }, reason: request.reason,
            urgency: text("home_support_urgency_\(request.urgency.rawValue)", context),
            urgent: request.urgency != .normal,
            state: text("home_support_state_\(request.state.rawValue)", context),
            tone: request.state == .done ? "tag-full" : (request.state == .new ? "tag-action" : ""),
            visit: request.visitDate.map { "\($0), \(request.visitWindow ?? "") — \(request.staff ?? "")" },
            outcome: request.outcome, dossierCode: request.dossierCode,
            createdAt: DossierViews.dateTime(request.createdAt) ?? "",
            open: request.state == .new || request.state == .scheduled)
    }

    func status(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let ref = context.parameters.get("ref"), let found = try await support.request(ref: ref) else {
            throw PortalError.notFound
        }
        return noStore(
            try renderer.render(
                "home-support-status", title: "home_support_title", page: view(found, context), request: request,
                context: context))
    }

    // MARK: Officers

    /// The officer's province (from their agency) and identity.
    func officer(_ context: AppRequestContext) async throws -> (
        province: String, actor: DossierStore.Actor, agency: String
    ) {
        guard let session = context.session, let agency = session.agencyCode,
            let province = try await support.province(ofAgency: agency)
        else { throw PortalError.notFound }
        return (province, DossierStore.Actor(accountID: session.accountID, role: session.role), agency)
    }

    struct QueuePage: Sendable {
        let items: [View]
        let total: Int
        let states: [FilterOption]
        let pager: Pager
    }

    func queue(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (province, _, _) = try await officer(context)
        let query = request.formQuery
        let state = query["trang-thai"].flatMap { HomeSupport.State(rawValue: $0) }
        let pageNumber = max(1, min(Int(query["trang"] ?? "1") ?? 1, 10_000))
        let (items, total) = try await support.queue(
            provinceCode: province, state: state, limit: 50, offset: (pageNumber - 1) * 50)
        let page = QueuePage(
            items: items.map { view($0, context) }, total: total,
            states: [FilterOption(value: "", label: text("hotline_all", context), selected: state == nil)]
                + HomeSupport.State.allCases.map {
                    FilterOption(
                        value: $0.rawValue, label: text("home_support_state_\($0.rawValue)", context),
                        selected: $0 == state)
                },
            pager: Pager(
                page: pageNumber, perPage: 50, total: total, path: "/can-bo/ho-tro",
                query: ["trang-thai": state?.rawValue ?? ""]))
        return noStore(
            try renderer.render(
                "officer-home-support", title: "home_support_queue_title", page: page, request: request,
                context: context))
    }

    struct ItemPage: Sendable {
        let request: View
        let errors: [FieldErrorItem]
        let hasErrors: Bool
        let csrfToken: String
    }

    func renderItem(
        _ request: Request, _ context: AppRequestContext, id: Int64, errors: [String: String],
        status: HTTPResponse.Status
    ) async throws -> Response {
        let (province, _, _) = try await officer(context)
        guard let found = try await support.request(id: id, provinceCode: province) else { throw PortalError.notFound }
        let page = ItemPage(
            request: view(found, context),
            errors: FieldErrorItem.list(errors),
            hasErrors: !errors.isEmpty, csrfToken: context.csrfToken)
        return noStore(
            try renderer.render(
                "officer-home-support-item", title: "home_support_queue_title", page: page, request: request,
                context: context, status: status, hasErrors: !errors.isEmpty))
    }

    func item(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let id = context.parameters.get("id", as: Int64.self) else { throw PortalError.notFound }
        return try await renderItem(request, context, id: id, errors: [:], status: .ok)
    }

    func schedule(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (province, actor, _) = try await officer(context)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw PortalError.notFound }
        let form = context.form.mapValues { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        var errors: [String: String] = [:]
        let dateText = form["visit_date"] ?? ""
        let date = dateText.count == 10 ? LocalDate(dateText) : nil
        if date == nil || date! < VietnamTime.localDate(of: Date()) {
            errors["visit_date"] = text("home_support_error_visit_date", context)
        }
        let window = form["visit_window"] ?? ""
        if !(3...50).contains(window.count) {
            errors["visit_window"] = text("home_support_error_visit_window", context)
        }
        let staff = form["staff"] ?? ""
        if !(2...200).contains(staff.count) { errors["staff"] = text("home_support_error_staff", context) }
        guard errors.isEmpty, let date else {
            return try await renderItem(request, context, id: id, errors: errors, status: .unprocessableContent)
        }
        do {
            try await support.schedule(
                id: id, provinceCode: province, date: date, window: window, staff: staff, officerID: actor.accountID)
        } catch HomeSupportError.notOpen {
            throw PortalError(.conflict, code: "not_open", messageKey: "home_support_error_not_open")
        }
        return Response.redirect(to: "/can-bo/ho-tro/\(id)", type: .normal)
    }

    func complete(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (province, actor, agency) = try await officer(context)
        guard let id = context.parameters.get("id", as: Int64.self) else { throw PortalError.notFound }
        let form = context.form.mapValues { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        var errors: [String: String] = [:]
        let outcome = form["outcome"] ?? ""
        if !(3...2000).contains(outcome.count) { errors["outcome"] = text("home_support_error_outcome", context) }
        var receive: (procedureCode: String, agencyCode: String)?
        var processingTime: ProcessingTime?
        if form["receive"] == "1" {
            let code = form["procedure_code"] ?? ""
            if let procedure = code.isEmpty ? nil : try await catalogue.procedure(code: code) {
                receive = (procedure.code, agency)
                processingTime = procedure.processingTime.limit
            } else {
                errors["procedure_code"] = text("home_support_error_procedure_code", context)
            }
        }
        guard errors.isEmpty else {
            return try await renderItem(request, context, id: id, errors: errors, status: .unprocessableContent)
        }
        do {
            _ = try await support.complete(
                id: id, provinceCode: province, outcome: outcome, receive: receive, officer: actor,
                processingTime: processingTime, calendar: WorkingCalendar(holidays: try await holidays.table()))
        } catch HomeSupportError.notOpen {
            throw PortalError(.conflict, code: "not_open", messageKey: "home_support_error_not_open")
        }
        return Response.redirect(to: "/can-bo/ho-tro/\(id)", type: .normal)
    }
}
