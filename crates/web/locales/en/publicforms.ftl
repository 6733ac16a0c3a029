# Public forms, file uploads and passing errors (issue 11).
error-upload-too-large-title = File too large
error-upload-too-large-message = The file you sent is larger than { $max } MB, the largest allowed. Go back and choose a smaller file (or compress it): your browser keeps the rest of the form.
error-busy-title = Service busy for a moment
error-busy-message = The service is very busy and could not save your request. Nothing was saved: go back and send it again in a few moments.
signalement-not-saved = Your report could not be saved: the service is unavailable for a moment. What you wrote is kept below; send it again in a few moments. In immediate danger, call 17 or 112.
signalement-already-sent = This report was sent, once: sending it again does not create a second report.
signalement-already-sent-note = The follow-up code and the passphrase are shown only once, right after sending, and cannot be shown again. If the situation changes and you no longer have them, you can make a new report. In immediate danger, call 17 or 112.
