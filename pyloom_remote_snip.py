print('remote')
