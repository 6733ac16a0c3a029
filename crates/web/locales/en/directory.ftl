# Messages of the directory area (issue 6).
