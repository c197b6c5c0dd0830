import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PortalCore
import PortalStore

/// The applicant's side of online dossiers: start, fill in, upload, review, submit, follow, supplement, withdraw,
/// download results and rate. Every handler here runs for a signed-in person (see `AccessPolicy`); a dossier that
/// is not theirs answers 404, never 403.
struct DossierController: Sendable {
    let dossiers: DossierStore
    let catalogue: CatalogueStore
    let accounts: AccountStore
    let accessLog: AccessLog
    let attachments: AttachmentStore
    let holidays: HolidayStore
    let payments: Payments
    let hotlines: HotlineStore
    let renderer: PageRenderer
    let limits: Limits
    let logger: Logger

    /// Upload limits from the configuration.
    struct Limits: Sendable {
        let maximumFileBytes: Int
        let maximumDossierBytes: Int

        /// The hint above every upload: the allowed types and both limits.
        func hint(_ localizer: Localizer, _ language: Language) -> String {
            localizer.text(
                "dossier_upload_hint", language,
                ["file": DossierViews.size(maximumFileBytes), "dossier": DossierViews.size(maximumDossierBytes)])
        }
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/thu-tuc/{code}/nop") { request, context in try await self.start(request, context) }
        router.post("/ho-so") { request, context in try await self.create(request, context) }
        router.get("/ho-so") { request, context in try await self.list(request, context) }
        router.get("/ho-so/{ref}") { request, context in try await self.show(request, context) }
        router.post("/ho-so/{ref}/luu") { request, context in try await self.save(request, context) }
        router.post("/ho-so/{ref}/tep") { request, context in try await self.upload(request, context) }
        router.get("/ho-so/{ref}/tep/{file}") { request, context in try await self.download(request, context) }
        router.post("/ho-so/{ref}/tep/{file}/xoa") { request, context in try await self.removeFile(request, context) }
        router.get("/ho-so/{ref}/xem-lai") { request, context in try await self.review(request, context) }
        router.post("/ho-so/{ref}/nop") { request, context in try await self.submit(request, context) }
        router.get("/ho-so/{ref}/bien-nhan") { request, context in try await self.receipt(request, context) }
        router.post("/ho-so/{ref}/bo-sung") { request, context in try await self.supplement(request, context) }
        router.post("/ho-so/{ref}/rut") { request, context in try await self.withdraw(request, context) }
        router.post("/ho-so/{ref}/danh-gia") { request, context in try await self.rate(request, context) }
        router.post("/ho-so/{ref}/xoa") { request, context in try await self.deleteDraft(request, context) }
    }

    // MARK: Access

    /// The session of the person making the request (the access policy guarantees one).
    func session(_ context: AppRequestContext) throws -> SessionStore.Session {
        guard let session = context.session else { throw PortalError.notFound }
        return session
    }

    func actor(_ session: SessionStore.Session) -> DossierStore.Actor {
        DossierStore.Actor(accountID: session.accountID, role: session.role)
    }

    /// The dossier named in the path, if the signed-in person owns it; 404 otherwise.
    func ownDossier(_ context: AppRequestContext) async throws -> (Dossier, SessionStore.Session) {
        try await dossiers.owned(context)
    }

    func text(_ key: String, _ context: AppRequestContext, _ values: [String: String] = [:]) -> String {
        renderer.localizer.text(key, context.language, values)
    }

    func message(_ error: some BilingualError, _ context: AppRequestContext) -> String {
        context.language == .english ? error.messageEn : error.messageVi
    }

    // MARK: Start

    /// Chooses the agency for a procedure that can be done online.
    func start(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let code = context.parameters.get("code"), let procedure = try await catalogue.procedure(code: code),
            procedure.onlineLevel != .none
        else { throw PortalError.notFound }
        let agencies = try await catalogue.agencies(codes: procedure.handlingAgencyCodes)
        guard !agencies.isEmpty else { throw PortalError.notFound }
        let page = DossierStartPage(
            procedureCode: procedure.code, procedureName: procedure.localizedName(context.language),
            agencies: agencies.enumerated().map { index, agency in
                .init(
                    code: agency.code,
                    name: context.language == .english ? (agency.nameEnglish ?? agency.name) : agency.name,
                    checked: index == 0)
            },
            csrfToken: context.csrfToken, error: nil)
        return try renderer.render(
            "dossier-start", title: "dossier_start_title", page: page, request: request, context: context)
    }

    /// Creates the draft and opens it.
    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let session = try session(context)
        guard !AccessPolicy.staffRoles.contains(session.role) else { throw PortalError.notFound }
        let code = context.form["procedure_code"] ?? ""
        guard let procedure = try await catalogue.procedure(code: code), procedure.onlineLevel != .none else {
            throw PortalError(
                .unprocessableContent, code: "unknown_procedure", messageKey: "error_not_found",
                field: "procedure_code")
        }
        let audience: Audience = session.role == "business" ? .business : .citizen
        guard procedure.audiences.isEmpty || procedure.audiences.contains(audience) else {
            throw PortalError(
                .unprocessableContent, code: "wrong_audience",
                messageKey: "dossier_error_audience_\(audience.rawValue)",
                field: "procedure_code")
        }
        let agencyCode = context.form["agency_code"] ?? ""
        guard procedure.handlingAgencyCodes.contains(agencyCode),
            try await catalogue.agency(code: agencyCode) != nil
        else {
            throw PortalError(
                .unprocessableContent, code: "agency_required", messageKey: "dossier_error_agency",
                field: "agency_code")
        }
        guard let applicant = try await accounts.applicant(accountID: session.accountID) else {
            throw PortalError.notFound
        }
        let ref = try await dossiers.createDraft(
            procedureCode: procedure.code, agencyCode: agencyCode, applicantID: session.accountID,
            applicant: applicant, actorRole: session.role)
        return Response.redirect(to: "/ho-so/\(ref)", type: .normal)
    }

    // MARK: Lists and pages

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let session = try session(context)
        let pageNumber = try Self.pageNumber(request)
        let result = try await dossiers.list(applicantID: session.accountID, page: pageNumber, perPage: 20)
        let page = DossierListPage(
            items: result.items.map { item in
                .init(
                    url: "/ho-so/\(item.ref)", code: item.code ?? text("dossier_draft", context),
                    procedureName: item.procedureName, agencyName: item.agencyName,
                    status: DossierViews.StatusTag(item.status, context.language),
                    updatedAt: DossierViews.dateTime(item.updatedAt) ?? "")
            },
            pager: Pager(page: pageNumber, perPage: 20, total: result.total, path: "/ho-so", query: [:]),
            hasItems: !result.items.isEmpty)
        return try noStore(
            renderer.render("dossier-list", title: "dossier_list_title", page: page, request: request, context: context)
        )
    }

    /// The draft form, or the submitted dossier's page.
    func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (dossier, session) = try await ownDossier(context)
        if dossier.isDraft {
            return try await renderDraft(request, context, dossier, values: dossier.form, errors: [:], status: .ok)
        }
        try await accessLog.record(
            action: "view", reason: "applicant", dossierID: dossier.id, accountID: session.accountID,
            actorRole: session.role)
        return try await renderShow(request, context, dossier, error: nil, status: .ok)
    }

    func renderDraft(
        _ request: Request, _ context: AppRequestContext, _ dossier: Dossier, values: [String: String],
        errors: [String: String], status: HTTPResponse.Status
    ) async throws -> Response {
        guard let procedure = try await catalogue.procedure(code: dossier.procedureCode) else {
            throw PortalError.notFound
        }
        let schema = try await dossiers.formSchema(for: procedure)
        let english = context.language == .english
        var page = DossierDraftPage(
            ref: dossier.ref, procedureName: procedure.localizedName(context.language), agencyName: dossier.agencyName,
            applicant: DossierViews.applicantRows(dossier.applicant, renderer.localizer, context.language),
            fields: schema.fields.map { field in
                .init(
                    name: field.name, label: english ? field.labelEn : field.labelVi,
                    value: values[field.name] ?? "", isTextarea: field.kind == .textarea,
                    inputType: field.kind == .date ? "date" : "text", required: field.required,
                    error: errors[field.name])
            },
            slots: schema.slots.map { slot in
                .init(
                    index: slot.index, name: slot.name, quantity: slot.quantity, required: slot.required,
                    files: dossier.files(.application).filter { $0.slot == slot.index }.map {
                        DossierViews.file($0, ref: dossier.ref, removable: true)
                    },
                    error: errors["slot_\(slot.index)"])
            },
            errorList: errors.sorted { $0.key < $1.key }.map { .init(field: $0.key, message: $0.value) },
            hasErrors: !errors.isEmpty,
            uploadHint: limits.hint(renderer.localizer, context.language),
            csrfToken: context.csrfToken)
        page.procedureNameLang = procedure.nameLanguage(context.language) == .english ? "en" : "vi"
        return try noStore(
            renderer.render(
                "dossier-draft", title: "dossier_draft_title", page: page, request: request, context: context,
                status: status, hasErrors: !errors.isEmpty))
    }

    func renderShow(
        _ request: Request, _ context: AppRequestContext, _ dossier: Dossier, error: String?,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let status0 = dossier.status
        let accesses = try await accessLog.entries(dossierID: dossier.id, limit: 50)
        var page = DossierShowPage(
            ref: dossier.ref, code: dossier.code ?? "", procedureName: dossier.procedureName,
            agencyName: dossier.agencyName, status: DossierViews.StatusTag(status0, context.language),
            submittedAt: DossierViews.dateTime(dossier.submittedAt), dueAt: DossierViews.dateTime(dossier.dueAt),
            timeline: DossierViews.timeline(dossier, context.language),
            applicationFiles: dossier.files(.application).map {
                DossierViews.file($0, ref: dossier.ref, removable: false)
            },
            supplementFiles: dossier.files(.supplement).map {
                DossierViews.file($0, ref: dossier.ref, removable: status0 == .supplementRequested)
            },
            resultFiles: dossier.files(.result).map { DossierViews.file($0, ref: dossier.ref, removable: false) },
            supplementRequest: status0 == .supplementRequested ? dossier.events.last?.event.note : nil,
            canSupplement: status0 == .supplementRequested,
            canWithdraw: DossierStateMachine.targets(from: status0).contains(.withdrawn),
            canRate: status0 == .resultReturned,
            rating: dossier.rating.map(String.init), ratingComment: dossier.ratingComment,
            ratingOptions: (1...5).map { .init(value: $0, checked: dossier.rating == $0) },
            accesses: accesses.map { entry in
                .init(
                    at: DossierViews.dateTime(entry.at) ?? "",
                    who: entry.accountID == dossier.applicantID
                        ? text("dossier_access_you", context)
                        : (entry.actorName ?? text("dossier_access_role_\(entry.actorRole)", context)),
                    action: text("dossier_access_action_\(entry.action)", context))
            },
            uploadHint: limits.hint(renderer.localizer, context.language),
            error: error, csrfToken: context.csrfToken)
        page.payments = try await PaymentViews.obligations(
            of: dossier, payments: payments, localizer: renderer.localizer, language: context.language)
        page.hasPayments = !page.payments.isEmpty
        page.hotlines = try await hotlines.forAgencies([dossier.agencyCode]).map {
            HotlineController.item($0, renderer.localizer, context.language)
        }
        page.hasHotlines = !page.hotlines.isEmpty
        return try noStore(
            renderer.render(
                "dossier-show", title: "dossier_show_title", page: page, request: request, context: context,
                status: status, hasErrors: error != nil))
    }

    // MARK: Draft editing

    func save(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (dossier, session) = try await ownDossier(context)
        guard dossier.isDraft else { return Response.redirect(to: "/ho-so/\(dossier.ref)", type: .normal) }
        guard let procedure = try await catalogue.procedure(code: dossier.procedureCode) else {
            throw PortalError.notFound
        }
        let schema = try await dossiers.formSchema(for: procedure)
        let values = schema.accepted(context.form)
        // A draft is saved even when incomplete; the problems are shown and checked again at submission.
        let problems = schema.problems(in: values).filter { _, problem in
            if case .required = problem { return false }
            return true
        }
        if !problems.isEmpty {
            return try await renderDraft(
                request, context, dossier, values: values, errors: problems.mapValues { message($0, context) },
                status: .unprocessableContent)
        }
        try await dossiers.saveForm(ref: dossier.ref, applicantID: session.accountID, values: values)
        let next = context.form["next"] == "review" ? "/ho-so/\(dossier.ref)/xem-lai" : "/ho-so/\(dossier.ref)"
        return Response.redirect(to: next, type: .normal)
    }

    func deleteDraft(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (dossier, session) = try await ownDossier(context)
        guard dossier.isDraft else { throw PortalError.notFound }
        let orphans = try await dossiers.deleteDraft(ref: dossier.ref, applicantID: session.accountID)
        for hash in orphans { _ = try? attachments.remove(sha256: hash) }
        return Response.redirect(to: "/ho-so", type: .normal)
    }

    /// Receives one file for a draft slot or for a requested supplement.
    func upload(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (dossier, session) = try await ownDossier(context)
        let form: MultipartUpload
        do {
            form = try await MultipartUpload.read(
                request, csrfToken: context.csrfToken, store: attachments,
                maximumBodyBytes: limits.maximumFileBytes + 64 * 1024)
        } catch let error as AttachmentError {
            return try await uploadFailed(
                request, context, dossier, message(error, context), field: "file", status: error.status)
        }
        guard let file = form.file, let name = form.fileName else {
            return try await uploadFailed(
                request, context, dossier, message(AttachmentError.emptyFile, context), field: "file")
        }
        let purpose: DossierFilePurpose = dossier.isDraft ? .application : .supplement
        let slot = Int(form.fields["slot"] ?? "") ?? 0
        if purpose == .application {
            guard let procedure = try await catalogue.procedure(code: dossier.procedureCode),
                let schemaSlot = try await dossiers.formSchema(for: procedure).slots.first(where: { $0.index == slot })
            else {
                try await discard(file.sha256)
                return try await uploadFailed(
                    request, context, dossier, text("dossier_error_slot", context), field: "slot")
            }
            guard dossier.files(.application).filter({ $0.slot == slot }).count < schemaSlot.maximumFiles else {
                try await discard(file.sha256)
                return try await uploadFailed(
                    request, context, dossier, text("dossier_error_slot_full", context), field: "slot")
            }
        }
        do {
            _ = try await dossiers.addFile(
                dossierID: dossier.id, purpose: purpose, slot: purpose == .application ? slot : 0, name: name.value,
                sha256: file.sha256, size: file.size, kind: file.kind.rawValue, uploadedBy: actor(session),
                maximumDossierBytes: limits.maximumDossierBytes)
        } catch let error as DossierStoreError {
            try await discard(file.sha256)
            switch error {
            case .dossierTooLarge(let limit):
                return try await uploadFailed(
                    request, context, dossier, message(AttachmentError.dossierTooLarge(limit: limit), context),
                    field: "file", status: .contentTooLarge)
            default:
                throw PortalError(.conflict, code: "wrong_status", messageKey: "dossier_error_wrong_status")
            }
        }
        logger.info(
            "file attached", metadata: ["dossier": "\(dossier.id)", "bytes": "\(file.size)", "kind": "\(file.kind)"])
        return Response.redirect(to: "/ho-so/\(dossier.ref)", type: .normal)
    }

    /// Deletes a blob that a failed request stored, unless another dossier uses the same content.
    func discard(_ sha256: String) async throws {
        if try await dossiers.isUnreferenced(sha256: sha256) { _ = try? attachments.remove(sha256: sha256) }
    }

    func uploadFailed(
        _ request: Request, _ context: AppRequestContext, _ dossier: Dossier, _ message: String, field: String,
        status: HTTPResponse.Status = .unprocessableContent
    ) async throws -> Response {
        if dossier.isDraft {
            return try await renderDraft(
                request, context, dossier, values: dossier.form, errors: ["file": message], status: status)
        }
        return try await renderShow(request, context, dossier, error: message, status: status)
    }

    func removeFile(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (dossier, session) = try await ownDossier(context)
        guard let fileID = context.parameters.get("file", as: Int64.self),
            dossier.files.contains(where: { $0.id == fileID })
        else { throw PortalError.notFound }
        do {
            if let orphan = try await dossiers.removeFile(dossierID: dossier.id, fileID: fileID, actor: actor(session))
            {
                _ = try? attachments.remove(sha256: orphan)
            }
        } catch DossierStoreError.wrongStatus {
            throw PortalError(.conflict, code: "wrong_status", messageKey: "dossier_error_wrong_status")
        }
        return Response.redirect(to: "/ho-so/\(dossier.ref)", type: .normal)
    }

    /// A file of a dossier, for its owner, an officer of its agency or an administrator; 404 for anyone else.
    func download(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let session = try session(context)
        guard let ref = context.parameters.get("ref"), let dossier = try await dossiers.dossier(ref: ref),
            let fileID = context.parameters.get("file", as: Int64.self),
            let file = dossier.files.first(where: { $0.id == fileID })
        else { throw PortalError.notFound }
        let isOwner = dossier.applicantID == session.accountID
        let isOfficer =
            ["officer", "agency_admin"].contains(session.role) && session.agencyCode == dossier.agencyCode
            && session.secondFactorPassed
        let isAdmin = session.role == "admin" && session.secondFactorPassed
        guard isOwner || isOfficer || isAdmin else { throw PortalError.notFound }
        guard let path = attachments.path(forSHA256: file.sha256), let name = try? AttachmentName(validating: file.name)
        else { throw PortalError.notFound }
        try await accessLog.record(
            action: "download", reason: file.purpose.rawValue, dossierID: dossier.id, accountID: session.accountID,
            actorRole: session.role)
        let body: ResponseBody
        do {
            // Streamed from disk in chunks, so a large result never sits whole in memory.
            body = try await FileIO().loadFile(path: path, context: context)
        } catch {
            logger.error("attachment missing from the store", metadata: ["dossier": "\(dossier.id)"])
            throw PortalError.notFound
        }
        var headers = HTTPFields()
        headers[.contentType] = AttachmentKind(rawValue: file.kind)?.mediaType ?? "application/octet-stream"
        headers[.contentDisposition] = name.contentDisposition
        headers[.contentLength] = String(file.size)
        headers[.cacheControl] = "private, no-store"
        return Response(status: .ok, headers: headers, body: body)
    }

    // MARK: Review and submission

    func review(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (dossier, _) = try await ownDossier(context)
        guard dossier.isDraft else { return Response.redirect(to: "/ho-so/\(dossier.ref)", type: .normal) }
        return try await renderReview(request, context, dossier, errors: [], status: .ok)
    }

    func renderReview(
        _ request: Request, _ context: AppRequestContext, _ dossier: Dossier, errors: [String],
        status: HTTPResponse.Status
    ) async throws -> Response {
        guard let procedure = try await catalogue.procedure(code: dossier.procedureCode) else {
            throw PortalError.notFound
        }
        let schema = try await dossiers.formSchema(for: procedure)
        let english = context.language == .english
        let page = DossierReviewPage(
            ref: dossier.ref, procedureName: procedure.localizedName(context.language), agencyName: dossier.agencyName,
            applicant: DossierViews.applicantRows(dossier.applicant, renderer.localizer, context.language),
            answers: schema.fields.map { field in
                .init(label: english ? field.labelEn : field.labelVi, value: dossier.form[field.name] ?? "—")
            },
            documents: schema.slots.map { slot in
                let files = dossier.files(.application).filter { $0.slot == slot.index }
                return .init(
                    label: slot.name,
                    value: files.isEmpty
                        ? text("dossier_no_file", context) : files.map(\.name).joined(separator: ", "))
            },
            fee: procedure.fee.text, processingTime: procedure.processingTime.text, errors: errors,
            hasErrors: !errors.isEmpty, csrfToken: context.csrfToken)
        return try noStore(
            renderer.render(
                "dossier-review", title: "dossier_review_title", page: page, request: request, context: context,
                status: status, hasErrors: !errors.isEmpty))
    }

    func submit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (dossier, session) = try await ownDossier(context)
        guard dossier.isDraft else { return Response.redirect(to: "/ho-so/\(dossier.ref)", type: .normal) }
        guard let procedure = try await catalogue.procedure(code: dossier.procedureCode) else {
            throw PortalError.notFound
        }
        let schema = try await dossiers.formSchema(for: procedure)
        do {
            let submitted = try await dossiers.submit(
                ref: dossier.ref, actor: actor(session), schema: schema, notifyEmail: dossier.applicant.email,
                feeDue: procedure.feeDueAtSubmission, calendar: WorkingCalendar(holidays: try await holidays.table()))
            logger.info("dossier submitted", metadata: ["dossier": "\(submitted.id)"])
            return Response.redirect(to: "/ho-so/\(dossier.ref)/bien-nhan", type: .normal)
        } catch DossierStoreError.incomplete(let problems, let documents) {
            return try await renderReview(
                request, context, dossier,
                errors: problems.sorted { $0.key < $1.key }.map { message($0.value, context) }
                    + documents.map { text("dossier_error_missing_document", context, ["name": $0]) },
                status: .unprocessableContent)
        }
    }

    func receipt(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (dossier, _) = try await ownDossier(context)
        guard let code = dossier.code else { throw PortalError.notFound }
        var page = DossierReceiptPage(
            ref: dossier.ref, code: code, procedureName: dossier.procedureName, agencyName: dossier.agencyName,
            applicantName: dossier.applicant.fullName, submittedAt: DossierViews.dateTime(dossier.submittedAt) ?? "",
            acknowledgeBy: dossier.status == .submitted ? DossierViews.dateTime(dossier.dueAt) : nil,
            processingTime: try await catalogue.procedure(code: dossier.procedureCode)?.processingTime.text,
            files: dossier.files(.application).map { DossierViews.file($0, ref: dossier.ref, removable: false) },
            lookupURL: "/tra-cuu?code=\(code)")
        let due = try await payments.obligations(dossierID: dossier.id).filter { $0.state == .due }
        if !due.isEmpty { page.feeDue = VietnameseText.formatDong(due.reduce(0) { $0 + $1.amount }) }
        return try noStore(
            renderer.render(
                "dossier-receipt", title: "dossier_receipt_title", page: page, request: request, context: context))
    }

    // MARK: After submission

    func supplement(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await applicantAction(request, context) { _ in
            .supplement(
                note: String((context.form["note"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(1000)))
        }
    }

    func withdraw(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try await applicantAction(request, context) { _ in
            let reason = (context.form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            return .withdraw(reason: reason.isEmpty ? "Công dân yêu cầu rút hồ sơ" : String(reason.prefix(1000)))
        }
    }

    func applicantAction(
        _ request: Request, _ context: AppRequestContext, _ action: (Dossier) -> DossierAction
    ) async throws -> Response {
        let (dossier, session) = try await ownDossier(context)
        do {
            let table = try await holidays.table()
            _ = try await dossiers.apply(
                action(dossier), ref: dossier.ref, expectedVersion: nil, actor: actor(session),
                processingTime: nil, calendar: WorkingCalendar(holidays: table), notifyEmail: nil)
            return Response.redirect(to: "/ho-so/\(dossier.ref)", type: .normal)
        } catch let error as DossierStoreError {
            let text: String
            switch error {
            case .transition(let transition): text = message(transition, context)
            case .clock(let clock): text = message(clock, context)
            case .supplementRequired: text = self.text("dossier_error_supplement_required", context)
            case .conflict: text = self.text("dossier_error_conflict", context)
            default: text = self.text("dossier_error_wrong_status", context)
            }
            return try await renderShow(request, context, dossier, error: text, status: .conflict)
        }
    }

    func rate(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (dossier, session) = try await ownDossier(context)
        guard let rating = Int(context.form["rating"] ?? ""), (1...5).contains(rating) else {
            return try await renderShow(
                request, context, dossier, error: text("dossier_error_rating", context), status: .unprocessableContent)
        }
        let comment = String(
            (context.form["comment"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines).prefix(1000))
        do {
            try await dossiers.rate(ref: dossier.ref, actor: actor(session), rating: rating, comment: comment)
        } catch DossierStoreError.wrongStatus {
            return try await renderShow(
                request, context, dossier, error: text("dossier_error_wrong_status", context), status: .conflict)
        }
        return Response.redirect(to: "/ho-so/\(dossier.ref)", type: .normal)
    }

    // MARK: Helpers

    static func pageNumber(_ request: Request) throws -> Int {
        guard let number = Int(request.formQuery["trang"] ?? "1"), (1...10_000).contains(number) else {
            throw PortalError(.badRequest, code: "invalid_page", messageKey: "error_invalid_page", field: "trang")
        }
        return number
    }
}

extension DossierStore {
    /// The dossier of the `{ref}` in the path, if it belongs to the signed-in applicant; a 404 otherwise, so that
    /// other people's dossiers cannot even be shown to exist.
    func owned(_ context: AppRequestContext) async throws -> (Dossier, SessionStore.Session) {
        guard let session = context.session, let ref = context.parameters.get("ref"),
            let dossier = try await dossier(ref: ref), dossier.applicantID == session.accountID
        else { throw PortalError.notFound }
        return (dossier, session)
    }
}
