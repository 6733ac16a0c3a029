# Pickers instead of codes: dates in three fields, countries, languages, départements.
date-fields-day = Day
date-fields-month = Month
date-fields-year = Year
date-fields-hint = For example: 27 3 1995. Leave blank what you do not know; without the day, only the year is kept.
picker-filter = Search the list
referral-nationality-hint = Choose the country from the list; type its first letters to jump to it.
referral-languages-hint = One or more languages: hold Ctrl (or Cmd) to choose several.
referral-problem-country-code = Choose the nationality from the list of countries.
referral-problem-birth-date-day = Enter a day of birth between 1 and 31.
referral-problem-birth-date-month = Enter a month of birth between 1 and 12.
referral-problem-birth-date-year = Enter the year of birth as four digits, for example 1995.
referral-problem-birth-date-year-missing = Enter the year of birth, even an estimate, or leave the day and month blank.
referral-problem-birth-date-month-missing = Enter the month of birth, or leave the day blank.
referral-problem-birth-date-no-such-day = That day does not exist in that month: check the day and month of birth.
referral-problem-birth-date-future = The date of birth cannot be in the future.
