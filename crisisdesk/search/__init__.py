"""Full-text search across everything said in incidents, kept in the writing transaction."""
