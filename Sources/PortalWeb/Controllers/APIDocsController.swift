import Hummingbird
import PortalAPI

/// `GET /api/docs`: every JSON endpoint of the OpenAPI document with its parameters, an example command and an
/// example answer, for the people who connect agency systems and reuse the open data.
struct APIDocsController: Sendable {
    let documentation: APIDocumentation
    let renderer: PageRenderer

    struct Page: Sendable {
        struct Operation: Sendable {
            let anchor: String
            let method: String
            let path: String
            let summary: String
            let description: String
            let needsToken: Bool
            let parameters: [APIDocumentation.Parameter]
            let hasParameters: Bool
            let requestExample: String?
            let answers: [APIDocumentation.Answer]
            let answerExample: String?
            let curl: String
        }
        let version: String
        let description: String
        let operations: [Operation]
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        let page = Page(
            version: documentation.version, description: documentation.description,
            operations: documentation.operations.map { operation in
                Page.Operation(
                    anchor: operation.id, method: operation.method, path: operation.path, summary: operation.summary,
                    description: operation.description, needsToken: operation.needsToken,
                    parameters: operation.parameters, hasParameters: !operation.parameters.isEmpty,
                    requestExample: operation.requestExample, answers: operation.answers,
                    answerExample: operation.answerExample, curl: operation.curl)
            })
        router.get("/api/docs") { request, context in
            try renderer.render("api-docs", title: "api_docs_title", page: page, request: request, context: context)
        }
    }
}
