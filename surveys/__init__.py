"""What is asked and what was answered: survey pages, waves, invitations, responses."""
