# Messages of the onward area (issue 6).
