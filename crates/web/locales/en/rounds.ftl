# Reporting rounds of the national plan (coordination, ministry focal points)
nav-asked = Measures to update

rounds-title = Reporting rounds
rounds-lead = Before a coordination committee meeting, the coordination asks each pilot body's focal point to update the status, indicators and spending of its measures, then validates or returns each update.
rounds-empty = No round has been opened for this plan yet.
rounds-opened-due = opened on { $opened }, answers expected by { $due }
round-open-badge = Open
round-closed-badge = Closed
rounds-open-title = Open a round
rounds-open-lead = Each measure with a pilot is asked of its body; its focal points receive an e-mail.
round-field-title = Title of the round
round-title-hint = For example: Review before the committee of 15 March
round-field-due = Answers expected by
round-due-hint = A date after today
rounds-open-submit = Open the round and notify the focal points
round-error-title = Give the round a title.
round-error-due = Give the date by which answers are expected.
round-error-due-past = The answer date must be after today.
round-error-already-open = A round of this plan is already open: close it before opening another.

round-lead = Answers expected by { $due }: { $answered }% of the { $total } measures asked have received an update.
round-is-closed = This round is closed: nothing more can be sent or validated in it.
round-is-late = The answer date has passed: late bodies are reminded every three days.
round-bodies = Progress by body
round-chart-title = Updates sent by pilot body
round-bodies-caption = Updates by pilot body and state
round-body = Pilot body
round-answered = Answered
round-last-message = Last request or reminder
round-reminders = { $count ->
    [one] 1 reminder
   *[other] { $count } reminders
}
round-body-unlinked = No focal point in Relais
round-body-done = All validated
round-updates = Updates of the measures
round-updates-caption = Measures asked in this round
round-state = State
round-state-requested = Requested
round-state-submitted = To validate
round-state-validated = Validated
round-state-returned = Returned for correction
round-close-lead = Close the round: updates not validated stay as they are.
round-close = Close the round

asked-title = Measures to update
asked-lead = The measures your body pilots on which the coordination expects an update.
asked-empty = No open round asks you for an update.
asked-caption = Measures asked of your body
asked-round = Round
asked-late = Late

round-update-lead = Round "{ $round }" — pilot body: { $body }.
round-returned-title = The coordination returned this update to you
round-measure-link = The measure and its history
round-field-status = Status of the measure
round-field-evidence = Evidence of the status
round-evidence-hint = What shows where the measure stands: a published text, a circular, the number of people trained…
round-field-indicator = Indicator value
round-field-indicator-value = Latest value of the monitoring indicator
round-indicator-hint = In the indicator's unit, for example 1250
round-field-indicator-date = Date of this value
round-indicator-on = { $value } on { $date }
round-field-spent = Spent in { $year } so far
round-submitted-at = Sent on
round-decided-at = Coordination's decision on
round-report-title = Your update
round-report-submit = Send the update to the coordination
round-decide-title = Coordination's decision
round-decision = What do you do with this update?
round-decision-validate = Validate it
round-decision-validate-hint = The reported status becomes the measure's; the indicator value and the spending go into the annual plan. The histories keep your validation.
round-decision-return = Return it for correction
round-field-comment = Comment for the focal point
round-comment-hint = Required to return it: what to correct or complete.
round-decide-submit = Save the decision
round-error-status = Choose the status of the measure.
round-error-evidence = Say what shows this status.
round-error-date = Give a valid date, for example 15/03/2026.
round-error-date-missing = Give the date of this value.
round-error-comment = Tell the focal point what to correct.
round-error-decision = Choose to validate or to return the update.
round-error-not-awaited = This update changed meanwhile or the round is closed: reload the page.

round-mail-subject = Relais — update requested: { $title }
round-mail-body = The national coordination asks you to update the action plan measures your body pilots (round "{ $title }"), by { $due }.
round-reminder-subject = Relais — reminder: { $title }
round-reminder-body = Measures your body pilots still await your update (round "{ $title }", answers expected by { $due }).
round-mail-link = The measures to update: { $url }

bodies-title = Bodies of the plans
bodies-lead = Link each body named by the plans to the Relais organisation of its focal points: they can then update its measures in reporting rounds.
bodies-caption = Bodies of the plans and their Relais organisation
bodies-body = Body
bodies-organisation = Organisation in Relais
bodies-organisation-of = Relais organisation of { $body }
bodies-none = None
bodies-save = Save
rounds-link = Reporting rounds
bodies-link = Bodies and focal points

notice-plan-body-linked = The link between the body and the organisation has been saved.
notice-round-opened = The round is open; the pilot bodies' focal points have been notified by e-mail.
notice-round-closed = The round is closed.
notice-round-update-sent = Your update has been sent to the coordination.
notice-round-update-validated = The update is validated; the measure's status and its annual plan are up to date.
notice-round-update-returned = The update has been returned to the focal point with your comment.

round-field-year = Year of the annual plan concerned
round-year-hint = The indicator values and spending validated will go into this year's annual plan.
round-year-default = The year of the answer date
round-error-year = Choose one of the plan's years.
round-year-of = annual plan { $year }
round-year-lead = This round concerns the { $year } annual plan.
round-annual-plan-link = See the { $year } annual plan
round-annual-link = The measure in the { $year } annual plan
round-indicator-legend = Monitoring indicator of the { $year } annual plan
round-indicator-legend-hint = Optional: the latest value one of the measure's indicators reached, and its date.
round-field-indicator-choice = Indicator
round-indicator-none-chosen = Choose an indicator
round-no-indicator = The { $year } annual plan has no indicator for this measure yet: the coordination must add one before you can give its value.
round-error-indicator = Choose the indicator whose value you give.
round-error-value-missing = Give the value reached on that day, or clear the date.
round-error-future-date = The date cannot be in the future.
