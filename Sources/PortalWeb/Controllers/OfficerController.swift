import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PortalCore
import PortalStore

/// The officer workspace: the agency's inbox and the actions on a dossier. The access policy lets only officers
/// and agency administrators who passed two-factor in; a dossier of another agency answers 404.
struct OfficerController: Sendable {
    let dossiers: DossierStore
    let catalogue: CatalogueStore
    let accounts: AccountStore
    let accessLog: AccessLog
    let attachments: AttachmentStore
    let holidays: HolidayStore
    let renderer: PageRenderer
    let limits: DossierController.Limits
    let logger: Logger

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/can-bo") { request, context in try await self.inbox(request, context) }
        router.get("/can-bo/ho-so/{ref}") { request, context in try await self.show(request, context) }
        router.post("/can-bo/ho-so/{ref}/xu-ly") { request, context in try await self.act(request, context) }
        router.post("/can-bo/ho-so/{ref}/ket-qua") { request, context in try await self.uploadResult(request, context) }
        router.get("/quan-tri/ho-so") { request, context in try await self.administratorView(request, context) }
    }

    func officer(_ context: AppRequestContext) throws -> (SessionStore.Session, String) {
        guard let session = context.session, let agency = session.agencyCode,
            ["officer", "agency_admin"].contains(session.role), session.secondFactorPassed
        else { throw PortalError.notFound }
        return (session, agency)
    }

    /// The dossier in the path, if it belongs to the officer's agency and was submitted; 404 otherwise.
    func agencyDossier(_ context: AppRequestContext) async throws -> (Dossier, SessionStore.Session) {
        let (session, agency) = try officer(context)
        guard let ref = context.parameters.get("ref"), let dossier = try await dossiers.dossier(ref: ref),
            dossier.agencyCode == agency, !dossier.isDraft, dossier.origin == "portal"
        else { throw PortalError.notFound }
        return (dossier, session)
    }

    func text(_ key: String, _ context: AppRequestContext, _ values: [String: String] = [:]) -> String {
        renderer.localizer.text(key, context.language, values)
    }

    // MARK: Inbox

    func inbox(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (_, agency) = try officer(context)
        let query = request.formQuery
        var filter = DossierStore.InboxFilter()
        if let value = query["trang_thai"], !value.isEmpty {
            guard let number = Int(value), let status = DossierStatus(rawValue: number) else {
                throw PortalError(
                    .badRequest, code: "invalid_filter", messageKey: "error_invalid_filter", field: "trang_thai")
            }
            filter.status = status
        }
        if let code = query["thu_tuc"], !code.isEmpty { filter.procedureCode = String(code.prefix(60)) }
        if let due = query["han"], !due.isEmpty {
            guard ["soon", "overdue"].contains(due) else {
                throw PortalError(.badRequest, code: "invalid_filter", messageKey: "error_invalid_filter", field: "han")
            }
            filter.due = due
        }
        if let sort = query["sap_xep"], !sort.isEmpty {
            guard ["due", "recent"].contains(sort) else {
                throw PortalError(
                    .badRequest, code: "invalid_filter", messageKey: "error_invalid_filter", field: "sap_xep")
            }
            filter.sort = sort
        }
        let pageNumber = try DossierController.pageNumber(request)
        let now = Date()
        let result = try await dossiers.inbox(
            agencyCode: agency, filter: filter, page: pageNumber, perPage: 25, now: now)
        let agencyName = try await catalogue.agency(code: agency)?.name ?? agency
        let page = OfficerInboxPage(
            agencyName: agencyName,
            statusOptions: [
                .init(value: "", label: text("officer_filter_all", context), selected: filter.status == nil)
            ]
                + DossierStatus.allCases.map {
                    .init(
                        value: String($0.rawValue), label: DossierViews.statusName($0, context.language),
                        selected: filter.status == $0)
                },
            dueOptions: [
                .init(value: "", label: text("officer_filter_all", context), selected: filter.due == nil),
                .init(value: "soon", label: text("officer_filter_due_soon", context), selected: filter.due == "soon"),
                .init(
                    value: "overdue", label: text("officer_filter_overdue", context), selected: filter.due == "overdue"),
            ],
            sortOptions: [
                .init(value: "due", label: text("officer_sort_due", context), selected: filter.sort == "due"),
                .init(value: "recent", label: text("officer_sort_recent", context), selected: filter.sort == "recent"),
            ],
            procedureCode: filter.procedureCode ?? "",
            items: result.items.map { item in
                let due = DossierViews.dueLabel(item.dueAt, status: item.status, now: now, context.language)
                return .init(
                    url: "/can-bo/ho-so/\(item.ref)", code: item.code ?? "", procedureName: item.procedureName,
                    applicantName: item.applicantName, status: DossierViews.StatusTag(item.status, context.language),
                    submittedAt: DossierViews.dateTime(item.submittedAt) ?? "", due: due?.0, overdue: due?.1 ?? false)
            },
            hasItems: !result.items.isEmpty, total: result.total,
            pager: Pager(
                page: pageNumber, perPage: 25, total: result.total, path: "/can-bo",
                query: [
                    "trang_thai": filter.status.map { String($0.rawValue) } ?? "",
                    "thu_tuc": filter.procedureCode ?? "",
                    "han": filter.due ?? "", "sap_xep": filter.sort == "due" ? "" : filter.sort,
                ]))
        var response = try renderer.render(
            "officer-inbox", title: "officer_inbox_title", page: page, request: request, context: context)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    // MARK: A dossier

    func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (dossier, session) = try await agencyDossier(context)
        try await accessLog.record(
            action: "view", reason: "officer", dossierID: dossier.id, accountID: session.accountID,
            actorRole: session.role)
        return try render(request, context, dossier, error: nil, status: .ok)
    }

    /// An administrator reads any dossier by its code (an agency administrator, those of their agency); the read is
    /// recorded like any other. No actions: those belong to the handling officers.
    func administratorView(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let session = context.session, session.secondFactorPassed,
            session.role == "admin" || session.role == "agency_admin"
        else { throw PortalError.notFound }
        let code = (request.formQuery["code"] ?? "").trimmingCharacters(in: .whitespaces)
        guard let dossier = try await dossiers.dossier(code: code),
            session.role == "admin" || dossier.agencyCode == session.agencyCode
        else { throw PortalError.notFound }
        try await accessLog.record(
            action: "view", reason: "administrator", dossierID: dossier.id, accountID: session.accountID,
            actorRole: session.role)
        return try render(request, context, dossier, error: nil, status: .ok, readOnly: true)
    }

    func render(
        _ request: Request, _ context: AppRequestContext, _ dossier: Dossier, error: String?,
        status: HTTPResponse.Status, readOnly: Bool = false
    ) throws -> Response {
        let current = dossier.status
        // The state machine decides which buttons to show, as it decides whether the action is accepted.
        func allowed(_ target: DossierStatus) -> Bool {
            guard !readOnly else { return false }
            let candidate = DossierEvent(status: target, at: Date(), actor: .officer, note: "-", source: .portal)
            return (try? DossierStateMachine.validate(candidate, after: dossier.history)) != nil
        }
        let canExtend =
            dossier.clock != nil && dossier.clock?.extensionNotice == nil
            && [.received, .processing].contains(current)
        let page = OfficerDossierPage(
            ref: dossier.ref, code: dossier.code ?? "", version: dossier.version, procedureName: dossier.procedureName,
            status: DossierViews.StatusTag(current, context.language),
            submittedAt: DossierViews.dateTime(dossier.submittedAt),
            receivedAt: DossierViews.dateTime(dossier.receivedAt),
            dueAt: DossierViews.dateTime(dossier.dueAt),
            applicant: DossierViews.applicantRows(dossier.applicant, renderer.localizer, context.language),
            form: dossier.form.sorted { $0.key < $1.key }.map { .init(label: $0.key, value: $0.value) },
            timeline: DossierViews.timeline(dossier, context.language),
            applicationFiles: dossier.files(.application).map {
                DossierViews.file($0, ref: dossier.ref, removable: false)
            },
            supplementFiles: dossier.files(.supplement).map {
                DossierViews.file($0, ref: dossier.ref, removable: false)
            },
            resultFiles: dossier.files(.result).map { DossierViews.file($0, ref: dossier.ref, removable: false) },
            canReceive: allowed(.received), canRefuse: allowed(.refused), canProcess: allowed(.processing),
            canRequestSupplement: allowed(.supplementRequested), canRequestPayment: allowed(.paymentRequested),
            canStop: allowed(.stopped), canFinish: allowed(.processed), canReturn: allowed(.resultReturned),
            canUploadResult: !readOnly && [.received, .processing, .paymentRequested].contains(current),
            canExtend: !readOnly && canExtend,
            uploadHint: limits.hint(renderer.localizer, context.language),
            error: error, csrfToken: context.csrfToken)
        var response = try renderer.render(
            "officer-dossier", title: "officer_dossier_title", page: page, request: request, context: context,
            status: status, hasErrors: error != nil)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    // MARK: Actions

    func act(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (dossier, session) = try await agencyDossier(context)
        let form = context.form
        guard let version = Int(form["version"] ?? "") else {
            throw PortalError(.badRequest, code: "version_required", messageKey: "error_bad_form", field: "version")
        }
        let reason = String((form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(2000))
        let action: DossierAction
        switch form["action"] ?? "" {
        case "receive": action = .receive
        case "refuse": action = .refuse(reason: reason)
        case "process": action = .process
        case "request_supplement": action = .requestSupplement(missing: reason)
        case "request_payment":
            guard let amount = Int64((form["amount"] ?? "").filter(\.isNumber)), amount > 0, amount < 1_000_000_000_000
            else {
                return try render(
                    request, context, dossier, error: text("officer_error_amount", context),
                    status: .unprocessableContent)
            }
            action = .requestPayment(amount: amount)
        case "stop": action = .stop(reason: reason)
        case "finish": action = .finish(note: reason)
        case "return_result": action = .returnResult
        case "extend":
            guard let date = LocalDate(form["new_due_date"] ?? "") else {
                return try render(
                    request, context, dossier, error: text("officer_error_new_due", context),
                    status: .unprocessableContent)
            }
            // The new date ends at the close of that working day.
            action = .extend(newDueAt: VietnamTime.instant(on: date, hour: 17, minute: 0), apology: reason)
        default:
            throw PortalError(.badRequest, code: "unknown_action", messageKey: "error_bad_form", field: "action")
        }
        let processingTime = try await catalogue.procedure(code: dossier.procedureCode)?.processingTime.limit
        do {
            let calendar = WorkingCalendar(holidays: try await holidays.table())
            let email = try await dossier.applicantID.asyncFlatMap { try await accounts.email(accountID: $0) }
            _ = try await dossiers.apply(
                action, ref: dossier.ref, expectedVersion: version,
                actor: DossierStore.Actor(accountID: session.accountID, role: session.role),
                processingTime: processingTime, calendar: calendar, notifyEmail: email)
            logger.info("dossier action", metadata: ["dossier": "\(dossier.id)", "action": "\(action.name)"])
            return Response.redirect(to: "/can-bo/ho-so/\(dossier.ref)", type: .normal)
        } catch let error as DossierStoreError {
            let current = try await dossiers.dossier(ref: dossier.ref) ?? dossier
            let message: String
            var status = HTTPResponse.Status.unprocessableContent
            switch error {
            case .conflict:
                message = text("dossier_error_conflict", context)
                status = .conflict
            case .transition(let transition):
                message = english(context) ? transition.messageEn : transition.messageVi
                // A missing reason is the officer's input to fix; any other refusal is about the dossier's state.
                if case .reasonRequired = transition { status = .unprocessableContent } else { status = .conflict }
            case .clock(let clock): message = english(context) ? clock.messageEn : clock.messageVi
            case .resultRequired: message = text("officer_error_result_required", context)
            case .feeUnpaid:
                message = text("officer_error_fee_unpaid", context)
                status = .conflict
            default:
                message = text("dossier_error_wrong_status", context)
                status = .conflict
            }
            return try render(request, context, current, error: message, status: status)
        }
    }

    func english(_ context: AppRequestContext) -> Bool { context.language == .english }

    /// A result document, before the dossier is finished.
    func uploadResult(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (dossier, session) = try await agencyDossier(context)
        let form: MultipartUpload
        do {
            form = try await MultipartUpload.read(
                request, csrfToken: context.csrfToken, store: attachments,
                maximumBodyBytes: limits.maximumFileBytes + 64 * 1024)
        } catch let error as AttachmentError {
            return try render(
                request, context, dossier, error: english(context) ? error.messageEn : error.messageVi,
                status: error.status)
        }
        guard let file = form.file, let name = form.fileName else {
            let error = AttachmentError.emptyFile
            return try render(
                request, context, dossier, error: english(context) ? error.messageEn : error.messageVi,
                status: .unprocessableContent)
        }
        do {
            _ = try await dossiers.addFile(
                dossierID: dossier.id, purpose: .result, slot: 0, name: name.value, sha256: file.sha256,
                size: file.size, kind: file.kind.rawValue,
                uploadedBy: DossierStore.Actor(accountID: session.accountID, role: session.role),
                maximumDossierBytes: limits.maximumDossierBytes)
        } catch let error as DossierStoreError {
            if try await dossiers.isUnreferenced(sha256: file.sha256) {
                _ = try? attachments.remove(sha256: file.sha256)
            }
            let message: String
            if case .dossierTooLarge(let limit) = error {
                let tooLarge = AttachmentError.dossierTooLarge(limit: limit)
                return try render(
                    request, context, dossier, error: english(context) ? tooLarge.messageEn : tooLarge.messageVi,
                    status: .contentTooLarge)
            } else {
                message = text("dossier_error_wrong_status", context)
            }
            return try render(request, context, dossier, error: message, status: .conflict)
        }
        return Response.redirect(to: "/can-bo/ho-so/\(dossier.ref)", type: .normal)
    }
}
