# Messages of the support area (issue 6).
