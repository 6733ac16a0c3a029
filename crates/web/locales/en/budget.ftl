## The budget of a national action plan (issue 13, part 3)

plan-budget-link = Plan budget
budget-title = Budget
budget-heading = Budget { $year }
budget-back = Back to the budget
budget-field-year = Year
budget-show-year = Show the year
budget-add-line = Add a budget line
budget-edit-line = Change the budget line
budget-add-grant = Add a grant
budget-export-lines = Download the lines (CSV)
budget-export-grants = Download the grants (CSV)

budget-lines = Budget lines by programme and action
budget-no-lines = No budget line for { $year }.
budget-programme = Programme { $code }
budget-programme-titled = Programme { $code } — { $label }
budget-measure-titled = Measure { $number } — { $title }
budget-measure-amount = Measure { $number }: { $amount }
budget-measures-funded = Measures funded
budget-no-measure = No measure given

budget-field-programme = Programme
budget-programme-hint = Three digits, for example 137 (Equality between women and men).
budget-field-programme_label = Programme title
budget-field-action = Action
budget-action-hint = Two digits, for example 15.
budget-field-action_label = Action title
budget-field-nature = Nature of credits
budget-nature-operating = Operating (title 3)
budget-nature-intervention = Intervention (title 6)
budget-field-ae_planned = Commitment authorisations (AE) planned
budget-field-ae_committed = AE committed
budget-field-cp_planned = Payment credits (CP) planned
budget-field-cp_paid = CP paid
budget-amount-hint = In euros, for example 12 500,50 or 12500.50. Empty: 0.
budget-save-line = Save the line

budget-line-measures = Measures this line funds
budget-line-measures-legend = Amount of the planned AE assigned to each measure
budget-line-measures-hint = In euros; leave a measure the line does not fund empty. Together the amounts do not exceed the line's planned AE.
budget-save-measures = Save the measures funded

budget-execution = Execution rates
budget-execution-lead = AE committed over AE planned and CP paid over CP planned. Nothing planned means no rate. A measure's share of a line is the part of the planned AE assigned to it.
budget-overall = Whole plan
budget-by-programme = By programme
budget-by-measure = By measure
budget-no-measure-funded = No line of this year names the measures it funds.
budget-ae = Commitment authorisations (AE)
budget-cp = Payment credits (CP)
budget-planned = Planned
budget-done = Committed or paid
budget-rate = Execution rate
budget-no-rate = No rate: nothing planned
budget-chart-overall = Execution rates of the plan in { $year }
budget-chart-programmes-ae = AE commitment rate by programme
budget-chart-programmes-cp = CP payment rate by programme
budget-chart-measures-ae = AE commitment rate by measure
budget-chart-measures-cp = CP payment rate by measure

budget-coverage = Planned cost and funding of the measures
budget-coverage-lead = For the chosen year: each measure's cost in the annual plan against the year's planned AE assigned to it and the year's grants paid outside a budget line, with what was spent according to the validated reporting rounds.
budget-coverage-caption = Planned cost and amount funded per measure
budget-planned-cost = Planned cost for { $year }
budget-funded = Funded
budget-gap = Gap
budget-total = Total
budget-no-cost = No cost in the annual plan
budget-spent = Spent (validated rounds)
budget-gap-short = Short by { $amount }
budget-gap-over = Over by { $amount }
budget-gap-covered = Covered
budget-gap-no-cost = No cost to compare with
budget-shortfall = Together the underfunded measures lack { $amount }.
budget-without-cost = { $count } measures have no planned cost for this year in the annual plan.

budget-grants = Grants to associations
budget-grants-caption = Grants { $year }
budget-no-grants = No grant for { $year }.
budget-grant-lead = A grant goes to an association or another organisation, never to a person.
budget-field-beneficiary = Beneficiary
budget-beneficiary-hint = The name of the association or organisation.
budget-field-amount = Amount
budget-field-line = Budget line
budget-line-hint = Optional: the line that pays it.
budget-grant-no-line = Outside a budget line
budget-choose-measure = Choose a measure
budget-save-grant = Save the grant

budget-problem-year = Choose a year of the plan.
budget-problem-programme = Give the programme as three digits, for example 137.
budget-problem-action = Give the action as two digits, for example 15.
budget-problem-label-required = Give a title.
budget-problem-too-long = This text is too long (200 characters at most).
budget-problem-nature = Choose the nature of credits: operating or intervention.
budget-problem-amount = Give an amount in euros, for example 12 500,50.
budget-problem-amount-positive = Give an amount in euros above zero, for example 12 500,50.
budget-problem-measure = Choose a measure of the plan.
budget-problem-line = Choose a budget line of the plan.
budget-problem-assigned-over = The amounts assigned to measures exceed the line's planned AE.
budget-problem-measure-amount = { $measure }: give an amount in euros, for example 12 500,50.

notice-budget-line-created = The budget line is saved. Now give the measures it funds.
notice-budget-line-saved = The budget line has been changed.
notice-budget-measures-linked = The measures funded by the line are saved.
notice-budget-grant-added = The grant is saved.
