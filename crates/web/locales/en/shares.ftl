# What an organisation sees of a case it is only shared with (issue 11, ADR 0009).
case-access-shared-for = Case shared with your organisation for: { $purposes }. You see only what this purpose requires.
case-access-read-only = Read only: the purpose of the share does not allow changing this information.
onward-placement-withheld-title = Safe distant placement
onward-placement-withheld-hint = Where a safe distant placement takes the person is told only to the identification authority, the organisation leading the follow-up and the network that takes the person in.
onward-placement-progress-in-progress = Safe distant placement in progress
onward-placement-progress-done = Safe distant placement done
onward-placement-progress-not-pursued = Safe distant placement not pursued
