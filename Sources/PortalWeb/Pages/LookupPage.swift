/// Looking up a dossier by its code.
struct LookupPage: Sendable {
    /// What the public may see of a dossier: no names, no documents, no notes.
    struct Result: Sendable {
        let code: String
        let procedureName: String
        let agencyName: String
        let status: DossierViews.StatusTag
        let receivedAt: String?
        let dueAt: String?
        let timeline: [DossierViews.TimelineItem]
    }
    let code: String
    let searched: Bool
    let error: String?
    let notFound: Bool
    let result: Result?
}
