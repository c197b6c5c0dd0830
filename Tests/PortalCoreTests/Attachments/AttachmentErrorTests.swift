import PortalCore
import Testing

@Suite struct AttachmentErrorTests {
    @Test func sizeLimitsAreShownInUnitsPeopleKnow() {
        #expect(AttachmentError.tooLarge(limit: 10 * 1024 * 1024).messageVi == "Tệp quá lớn: tối đa 10 MB.")
        #expect(AttachmentError.tooLarge(limit: 10 * 1024 * 1024).messageEn == "The file is too large: at most 10 MB.")
        #expect(AttachmentError.tooLarge(limit: 3 * 512 * 1024).messageVi == "Tệp quá lớn: tối đa 1,5 MB.")
        #expect(AttachmentError.tooLarge(limit: 3 * 512 * 1024).messageEn == "The file is too large: at most 1.5 MB.")
        #expect(AttachmentError.tooLarge(limit: 500 * 1024).messageEn == "The file is too large: at most 500 KB.")
        #expect(AttachmentError.tooLarge(limit: 900).messageVi == "Tệp quá lớn: tối đa 900 byte.")
        // Rounded down: a limit of 10 MB less one byte must not be announced as 10 MB.
        #expect(
            AttachmentError.tooLarge(limit: 10 * 1024 * 1024 - 1).messageEn == "The file is too large: at most 9.9 MB.")
        #expect(
            AttachmentError.dossierTooLarge(limit: 50 * 1024 * 1024).messageVi
                == "Tổng dung lượng các tệp của hồ sơ quá lớn: tối đa 50 MB.")
    }

    @Test func aMismatchNamesTheDetectedKindAndTheExtension() {
        let error = AttachmentError.contentDoesNotMatchExtension(detected: .pdf, fileExtension: "png")
        #expect(error.messageVi == "Nội dung tệp là PDF nhưng tên tệp có phần mở rộng .png. Vui lòng kiểm tra lại tệp.")
        #expect(error.messageEn == "The file's content is PDF but its name ends in .png. Please check the file.")
    }

    @Test func refusedExtensionsListWhatIsAccepted() {
        #expect(
            AttachmentError.extensionNotAllowed("exe").messageVi
                == "Không chấp nhận tệp .exe. Chỉ chấp nhận tệp .pdf, .jpg, .jpeg, .png, .docx, .xlsx.")
        #expect(AttachmentError.extensionNotAllowed("").messageEn.hasPrefix("The file name needs an extension."))
    }

    @Test func everyErrorHasItsOwnMessageInBothLanguagesWithoutInternalDetail() {
        let errors: [AttachmentError] = [
            .emptyName, .nameTooLong, .unsafeName, .extensionNotAllowed("exe"), .extensionNotAllowed(""), .emptyFile,
            .tooLarge(limit: 1 << 20), .dossierTooLarge(limit: 1 << 20), .unrecognisedContent,
            .contentDoesNotMatchExtension(detected: .docx, fileExtension: "xlsx"), .storageFailed(errno: 28),
        ]
        #expect(Set(errors.map(\.messageVi)).count == errors.count)
        #expect(Set(errors.map(\.messageEn)).count == errors.count)
        for error in errors {
            #expect(error.messageVi != error.messageEn)
            #expect(error.messageVi.hasSuffix("."))
            #expect(error.messageEn.hasSuffix("."))
        }
        #expect(!AttachmentError.storageFailed(errno: 28).messageEn.contains("28"))
    }
}
