"""Each shop's order, from paid to delivered: one transition function moves it."""
