"""People the desk reaches: a contact directory and the duties of on-call rotas."""
