"""Users, user roles, API tokens, sign-in and the `flask users` commands."""
