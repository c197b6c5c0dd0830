import Foundation

/// Previous / next links for a paginated list.
struct Pager: Sendable {
    let page: Int
    let pageCount: Int
    let previousURL: String?
    let nextURL: String?
    let hasPages: Bool

    init(page: Int, perPage: Int, total: Int, path: String, query: [String: String]) {
        self.page = page
        pageCount = max(1, (total + perPage - 1) / perPage)
        func url(_ number: Int) -> String {
            var components = URLComponents()
            components.path = path
            var items = query.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map {
                URLQueryItem(name: $0.key, value: $0.value)
            }
            if number > 1 { items.append(URLQueryItem(name: "trang", value: String(number))) }
            components.queryItems = items.isEmpty ? nil : items
            return components.string ?? path
        }
        previousURL = page > 1 ? url(page - 1) : nil
        nextURL = page < pageCount ? url(page + 1) : nil
        hasPages = pageCount > 1
    }
}

/// Choosing where to submit a procedure.
struct DossierStartPage: Sendable {
    struct Agency: Sendable {
        let code: String
        let name: String
        let checked: Bool
    }
    let procedureCode: String
    let procedureName: String
    let agencies: [Agency]
    let csrfToken: String
    let error: String?
}

/// The applicant's dossiers.
struct DossierListPage: Sendable {
    struct Item: Sendable {
        let url: String
        let code: String
        let procedureName: String
        let agencyName: String
        let status: DossierViews.StatusTag
        let updatedAt: String
    }
    let items: [Item]
    let pager: Pager
    let hasItems: Bool
}

/// The draft form: the applicant's details (read-only), the procedure's fields and the upload slots.
struct DossierDraftPage: Sendable {
    struct Row: Sendable {
        let label: String
        let value: String
    }
    struct Field: Sendable {
        let name: String
        let label: String
        let value: String
        let isTextarea: Bool
        let inputType: String
        let required: Bool
        let error: String?
    }
    struct Slot: Sendable {
        let index: Int
        let name: String
        let quantity: String?
        let required: Bool
        let files: [DossierViews.FileItem]
        let error: String?
    }
    struct ErrorItem: Sendable {
        let field: String
        let message: String
    }
    let ref: String
    let procedureName: String
    /// The language of `procedureName` (the catalogue has English names for some procedures).
    var procedureNameLang = "vi"
    let agencyName: String
    let applicant: [Row]
    let fields: [Field]
    let slots: [Slot]
    let errorList: [ErrorItem]
    let hasErrors: Bool
    let uploadHint: String
    let csrfToken: String
}

/// "Check your answers" before submitting.
struct DossierReviewPage: Sendable {
    let ref: String
    let procedureName: String
    let agencyName: String
    let applicant: [DossierDraftPage.Row]
    let answers: [DossierDraftPage.Row]
    let documents: [DossierDraftPage.Row]
    let fee: String
    let processingTime: String
    let errors: [String]
    let hasErrors: Bool
    let csrfToken: String
}

/// The printable receipt with the dossier code.
struct DossierReceiptPage: Sendable {
    let ref: String
    let code: String
    let procedureName: String
    let agencyName: String
    let applicantName: String
    let submittedAt: String
    /// While not yet received: by when the desk must receive it, refuse it or ask for more.
    let acknowledgeBy: String?
    let processingTime: String?
    let files: [DossierViews.FileItem]
    let lookupURL: String
    /// The fee still to pay with the application, e.g. `8.000 ₫`.
    var feeDue: String?
}

/// A submitted dossier as its applicant sees it.
struct DossierShowPage: Sendable {
    struct RatingOption: Sendable {
        let value: Int
        let checked: Bool
    }
    struct Access: Sendable {
        let at: String
        let who: String
        let action: String
    }
    let ref: String
    let code: String
    let procedureName: String
    let agencyName: String
    let status: DossierViews.StatusTag
    let submittedAt: String?
    let dueAt: String?
    let timeline: [DossierViews.TimelineItem]
    let applicationFiles: [DossierViews.FileItem]
    let supplementFiles: [DossierViews.FileItem]
    let resultFiles: [DossierViews.FileItem]
    let supplementRequest: String?
    let canSupplement: Bool
    let canWithdraw: Bool
    let canRate: Bool
    let rating: String?
    let ratingComment: String?
    let ratingOptions: [RatingOption]
    let accesses: [Access]
    let uploadHint: String
    let error: String?
    let csrfToken: String
    /// Fees to pay online, with the attempts made.
    var payments: [PaymentViews.Obligation] = []
    var hasPayments = false
    /// The handling agency's hotlines.
    var hotlines: [HotlineController.Item] = []
    var hasHotlines = false
}

/// An option of a filter.
struct FilterOption: Sendable {
    let value: String
    let label: String
    let selected: Bool
}

/// The officer's inbox.
struct OfficerInboxPage: Sendable {
    struct Item: Sendable {
        let url: String
        let code: String
        let procedureName: String
        let applicantName: String
        let status: DossierViews.StatusTag
        let submittedAt: String
        let due: String?
        let overdue: Bool
    }
    let agencyName: String
    let statusOptions: [FilterOption]
    let dueOptions: [FilterOption]
    let sortOptions: [FilterOption]
    let procedureCode: String
    let items: [Item]
    let hasItems: Bool
    let total: Int
    let pager: Pager
}

/// A dossier as the handling officer sees it, with the actions the rules allow now.
struct OfficerDossierPage: Sendable {
    let ref: String
    let code: String
    let version: Int
    let procedureName: String
    let status: DossierViews.StatusTag
    let submittedAt: String?
    let receivedAt: String?
    let dueAt: String?
    let applicant: [DossierDraftPage.Row]
    let form: [DossierDraftPage.Row]
    let timeline: [DossierViews.TimelineItem]
    let applicationFiles: [DossierViews.FileItem]
    let supplementFiles: [DossierViews.FileItem]
    let resultFiles: [DossierViews.FileItem]
    let canReceive: Bool
    let canRefuse: Bool
    let canProcess: Bool
    let canRequestSupplement: Bool
    let canRequestPayment: Bool
    let canStop: Bool
    let canFinish: Bool
    let canReturn: Bool
    let canUploadResult: Bool
    let canExtend: Bool
    let uploadHint: String
    let error: String?
    let csrfToken: String
}
