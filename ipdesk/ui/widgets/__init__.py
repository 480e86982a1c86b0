"""Small reusable widgets (period picker, …)."""
