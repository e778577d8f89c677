"""One checkout for a basket of several shops, paid once."""
